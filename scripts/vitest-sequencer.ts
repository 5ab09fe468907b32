import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The call every test file on SwiftShader's Vulkan driver makes before its first session. */
const SWIFTSHADER_MARK = 'pickSwiftShaderUnlessSet()';

/**
 * Vitest's order, but the files on SwiftShader first. They are the suite's longest (shader
 * compilation alone takes ~25 s); on a clean clone, with no timings cached, Vitest started them
 * among the last, and the other fork sat idle while they finished.
 */
export default class SwiftShaderFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const gpu: TestSpecification[] = [];
    const rest: TestSpecification[] = [];
    for (const f of await super.sort(files))
      (readFileSync(f.moduleId, 'utf8').includes(SWIFTSHADER_MARK) ? gpu : rest).push(f);
    return [...gpu, ...rest];
  }
}
