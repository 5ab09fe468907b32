import { ModelError } from '../errors';

/** Just enough of an ORT session for the shared code; each adapter wraps its own ORT build. */
export interface SessionPort {
  readonly inputs: ReadonlyArray<{
    name: string;
    /** Element type and dims from the graph, or null where ORT does not report them. */
    type: string | null;
    shape: ReadonlyArray<number | string> | null;
  }>;
  readonly outputNames: readonly string[];
  run(
    feeds: Record<string, { data: Float32Array; dims: readonly number[] }>,
  ): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

/** Expected dims per input: a number must match exactly, null accepts anything (the batch axis). */
export type ExpectedInputs = Record<string, ReadonlyArray<number | null>>;

/**
 * Checks a session's inputs and outputs against what the manifest implies, so that a model whose
 * graph disagrees with its manifest fails at load time rather than with an ORT error mid-sampling.
 */
export function checkSession(
  file: string,
  session: SessionPort,
  inputs: ExpectedInputs,
  output: string,
): void {
  const names = session.inputs.map((i) => i.name);
  for (const [name, dims] of Object.entries(inputs)) {
    const meta = session.inputs.find((i) => i.name === name);
    if (!meta) {
      throw new ModelError(
        file,
        name,
        `graph has no input "${name}" (inputs: ${names.join(', ')})`,
      );
    }
    if (meta.type !== null && meta.type !== 'float32') {
      throw new ModelError(file, name, `input is ${meta.type}, the contract needs float32`);
    }
    if (!meta.shape || meta.shape.length === 0) continue;
    const shown = `[${meta.shape.join(',')}]`;
    if (meta.shape.length !== dims.length) {
      throw new ModelError(
        file,
        name,
        `input shape ${shown} has rank ${meta.shape.length}, manifest implies ${dims.length}`,
      );
    }
    dims.forEach((want, axis) => {
      const got = meta.shape![axis];
      if (want !== null && typeof got === 'number' && got !== want) {
        throw new ModelError(
          file,
          name,
          `input shape ${shown} disagrees with the manifest at axis ${axis}: expected ${want}`,
        );
      }
    });
  }
  const extra = names.filter((n) => !(n in inputs));
  if (extra.length > 0) {
    throw new ModelError(
      file,
      extra[0],
      `unexpected graph input "${extra[0]}" for this model kind`,
    );
  }
  if (!session.outputNames.includes(output)) {
    throw new ModelError(
      file,
      output,
      `graph has no output "${output}" (outputs: ${session.outputNames.join(', ')})`,
    );
  }
}
