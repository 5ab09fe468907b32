import * as ort from 'onnxruntime-node';

/** A typed feed or result: float32 or int64 values with their dims. */
export type ProbeTensor =
  | { readonly type: 'float32'; readonly data: Float32Array; readonly dims: readonly number[] }
  | { readonly type: 'int64'; readonly data: BigInt64Array; readonly dims: readonly number[] };

/** What a probe run gives back: each output's element type name, values and dims. */
export interface ProbeOutput {
  readonly type: string;
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
}

/**
 * Runs an ONNX graph once on the CPU with arbitrary typed feeds: the import's checks of an
 * external network (which may take an int64 timestep) before anything is written. The model
 * loaders' ports only feed float32, by contract. Throws ORT's own message on failure; the caller
 * says which stage failed.
 */
export async function runOnce(
  model: Uint8Array,
  feeds: Readonly<Record<string, ProbeTensor>>,
): Promise<Record<string, ProbeOutput>> {
  const session = await ort.InferenceSession.create(model);
  try {
    const input: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      input[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
    const out = await session.run(input);
    const result: Record<string, ProbeOutput> = {};
    for (const [name, t] of Object.entries(out))
      result[name] = {
        type: t.type,
        data: t.data as ArrayLike<number | bigint>,
        dims: [...t.dims],
      };
    return result;
  } finally {
    await session.release();
  }
}
