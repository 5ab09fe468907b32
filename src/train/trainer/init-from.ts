import { isDeepStrictEqual } from 'node:util';
import onnxProto, { type onnx } from 'onnx-proto';
import { readModelFolder } from '../../runtime/node';
import type { ParamValues } from '../../graph';
import type { InitFrom, TrainConfig } from './config';

const pb = onnxProto.onnx;

/** A float tensor's values, whether the file holds them as raw bytes or as a float list. */
function floats(t: onnx.ITensorProto): Float32Array {
  if (t.rawData && t.rawData.byteLength > 0) {
    // Copied: rawData is a view into the file's bytes, not necessarily 4-byte aligned.
    const bytes = t.rawData.slice();
    return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

function initializers(bytes: Uint8Array, into: Map<string, Float32Array>): void {
  for (const t of pb.ModelProto.decode(bytes).graph?.initializer ?? []) {
    if (t.name && t.dataType === pb.TensorProto.DataType.FLOAT) into.set(t.name, floats(t));
  }
}

/** A run's starting parameters and what its config records of the model they came from. */
export interface StartingModel {
  initFrom: InitFrom;
  params: ParamValues;
}

/**
 * The starting point of a run that continues a shipped model under a new recipe (`--init-from`):
 * the model folder's parameters, read from its exported graphs after the loader's checks (sizes,
 * sha256). The model must have the run's network, mode and dataset: anything else is refused
 * naming the field.
 */
export async function readInitFrom(
  path: string,
  config: Pick<TrainConfig, 'mode' | 'model' | 'dataset'>,
): Promise<StartingModel> {
  const files = await readModelFolder(path);
  const m = files.manifest;
  const where = `--init-from ${path}`;
  if (m.kind !== config.mode)
    throw new Error(`${where}: the model is a ${m.kind} model, the run trains ${config.mode}`);
  if (m.dataset !== config.dataset)
    throw new Error(
      `${where}: the model was trained on ${m.dataset}, the run on ${config.dataset}`,
    );
  // Compared by value, not by JSON text: a config written elsewhere may order its keys differently.
  if (!isDeepStrictEqual(m.training.config.model, config.model))
    throw new Error(
      `${where}: its network ${JSON.stringify(m.training.config.model)} differs from the run's ${JSON.stringify(config.model)} (pass the same --preset, --base, --bits, --levels)`,
    );
  const params = new Map<string, Float32Array>();
  initializers(files.denoiser, params);
  if (files.encoder) initializers(files.encoder, params);
  return {
    initFrom: {
      model: m.name,
      path,
      sha256: m.files.denoiser.sha256,
      steps: m.training.steps,
      wallTimeSeconds: m.training.wallTimeSeconds,
    },
    params,
  };
}
