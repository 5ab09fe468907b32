import type { Reporter, TestModule } from 'vitest/node';
import { slowestLines, type Timed } from './slowest';

/** Prints the 10 slowest unit tests after the run, so the slow ones are named where they are. */
export default class SlowestReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests: Timed[] = [];
    for (const m of modules)
      for (const t of m.children.allTests())
        tests.push({
          name: `${m.moduleId.replace(`${process.cwd()}/`, '')} > ${t.fullName}`,
          ms: t.diagnostic()?.duration ?? 0,
        });
    console.log(['', ...slowestLines('vitest', tests)].join('\n'));
  }
}
