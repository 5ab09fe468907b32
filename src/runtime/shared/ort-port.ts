import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { ModelError } from '../errors';
import type { SessionPort } from './session';

type TensorCtor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;

/**
 * Wraps an ORT session of either build (both implement onnxruntime-common's interfaces) in the
 * small port the shared code uses. Each build passes its own Tensor class.
 */
function ortPort(session: InferenceSession, TensorClass: TensorCtor): SessionPort {
  return {
    inputs: session.inputNames.map((name, i) => {
      const meta = session.inputMetadata?.[i];
      return meta && meta.isTensor
        ? { name, type: meta.type, shape: meta.shape }
        : { name, type: null, shape: null };
    }),
    outputNames: session.outputNames,
    async run(feeds) {
      const ortFeeds: Record<string, Tensor> = {};
      for (const [name, { data, dims }] of Object.entries(feeds))
        ortFeeds[name] = new TensorClass('float32', data, dims);
      const out = await session.run(ortFeeds);
      const result: Record<string, Float32Array> = {};
      for (const [name, tensor] of Object.entries(out)) {
        // A WebGPU denoiser keeps its output on the GPU for chained runs (web/chain.ts).
        const data = tensor.location === 'cpu' ? tensor.data : await tensor.getData(true);
        result[name] = data as Float32Array;
        tensor.dispose();
      }
      return result;
    },
    release: () => session.release(),
  };
}

/** Creates a session, reporting a graph ORT rejects under the file's name. */
export async function openSession(
  file: string,
  create: () => Promise<InferenceSession>,
  TensorClass: TensorCtor,
): Promise<SessionPort> {
  let session: InferenceSession;
  try {
    session = await create();
  } catch (e) {
    throw new ModelError(
      file,
      undefined,
      `onnxruntime could not load the graph: ${(e as Error).message}`,
    );
  }
  return ortPort(session, TensorClass);
}
