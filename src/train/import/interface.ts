import type { Parameterisation } from '../../runtime';
import type { ExternalModel, ExternalTensor } from './external';
import { ImportError } from './plan';
import type { Prediction } from './scheduler-config';

/** diffusers' UNet2DModel names, which torch.onnx.export keeps when told to. */
export const DEFAULT_NAMES = { sample: 'sample', timestep: 'timestep', output: 'out_sample' };

/** The oldest default-domain opset whose ops the wrapper relies on (Cast's `to`, Reshape's input). */
const MIN_OPSET = 7;

export interface InterfaceFlags {
  readonly onnx: string;
  readonly names: { sample: string; timestep: string; output: string };
  readonly image?: readonly [number, number, number];
  readonly prediction: Prediction;
}

/** How the wrapper feeds the network, from its declared inputs and outputs. */
export interface ExternalInterface {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly timestep: Parameterisation['timestep'];
}

const shown = (t: ExternalTensor) =>
  t.dims === null ? 'no shape' : `[${t.dims.map((d) => d ?? '?').join(',')}]`;

const listOf = (ts: readonly ExternalTensor[]) =>
  ts.map((t) => `${t.name} ${t.typeName} ${shown(t)}`).join('; ');

/**
 * Checks the network's declared interface against the flags: the named inputs and output exist
 * and have types and ranks the wrapper can feed, no other input is left unfed, the batch axis is
 * free, and C,H,W are known (from the graph or --image, which must agree). Every refusal names
 * the flag or the input.
 */
export function checkInterface(m: ExternalModel, f: InterfaceFlags): ExternalInterface {
  const where = `--onnx ${f.onnx}`;
  if (m.opset < MIN_OPSET)
    throw new ImportError(`${where}: opset ${m.opset} is older than ${MIN_OPSET}; re-export it`);
  const sample = m.inputs.find((i) => i.name === f.names.sample);
  const timestep = m.inputs.find((i) => i.name === f.names.timestep);
  for (const [role, t, name] of [
    ['sample', sample, f.names.sample],
    ['timestep', timestep, f.names.timestep],
  ] as const) {
    if (!t) {
      throw new ImportError(
        `--input-names: the graph has no ${role} input "${name}" (its inputs: ${listOf(m.inputs)})`,
      );
    }
  }
  const output = m.outputs.find((o) => o.name === f.names.output);
  if (!output) {
    throw new ImportError(
      `--output-name: the graph has no output "${f.names.output}" (its outputs: ${listOf(m.outputs)})`,
    );
  }
  const extra = m.inputs.find((i) => i !== sample && i !== timestep);
  if (extra) {
    throw new ImportError(
      `${where}: input "${extra.name}" ${shown(extra)} is not one the import can feed (only unconditional sample + timestep networks; a class label or text condition is not supported)`,
    );
  }
  const image = imageOf(sample!, output, f, where);
  const ts = timestep!;
  if (ts.dtype === 'other' || (f.prediction === 'edm' && ts.dtype !== 'float32')) {
    throw new ImportError(
      `${where}: timestep input "${ts.name}" is ${ts.typeName}; the import feeds ${f.prediction === 'edm' ? 'FLOAT (c_noise)' : 'INT64 or FLOAT'}`,
    );
  }
  if (ts.dims !== null && (ts.dims.length !== 1 || typeof ts.dims[0] === 'number')) {
    throw new ImportError(
      `${where}: timestep input "${ts.name}" has shape ${shown(ts)}; it must be one value per image, [batch] with a free batch axis (export with dynamic_axes={'${ts.name}': {0: 'batch'}})`,
    );
  }
  return {
    ...image,
    timestep: f.prediction === 'edm' ? 'edm' : ts.dtype === 'int64' ? 'nearest' : 'interpolated',
  };
}

function imageOf(
  sample: ExternalTensor,
  output: ExternalTensor,
  f: InterfaceFlags,
  where: string,
): { channels: number; height: number; width: number } {
  if (sample.dtype !== 'float32' || output.dtype !== 'float32') {
    const bad = sample.dtype !== 'float32' ? sample : output;
    throw new ImportError(
      `${where}: "${bad.name}" is ${bad.typeName}; the import needs FLOAT (float32) images (convert a float16 export to float32)`,
    );
  }
  for (const t of [sample, output]) {
    if (t.dims !== null && t.dims.length !== 4) {
      throw new ImportError(
        `${where}: "${t.name}" has shape ${shown(t)}; the import needs [batch, C, H, W]`,
      );
    }
    if (t.dims !== null && typeof t.dims[0] === 'number') {
      throw new ImportError(
        `${where}: "${t.name}" has a fixed batch of ${t.dims[0]}; export with dynamic_axes={'${t.name}': {0: 'batch'}} so any batch runs`,
      );
    }
  }
  const dims = [1, 2, 3].map((axis) => {
    const declared = [sample, output]
      .map((t) => t.dims?.[axis])
      .filter((d): d is number => typeof d === 'number');
    const given = f.image?.[axis - 1];
    const [first] = declared;
    if (declared.some((d) => d !== first)) {
      throw new ImportError(
        `${where}: "${sample.name}" ${shown(sample)} and "${output.name}" ${shown(output)} disagree at axis ${axis}${axis === 1 && first !== undefined && declared.includes(2 * first) ? ' (an output of 2C channels is a learned variance, which is not supported)' : ''}`,
      );
    }
    if (given !== undefined && first !== undefined && given !== first) {
      throw new ImportError(
        `--image ${f.image!.join(',')}: the graph fixes axis ${axis} of "${sample.name}" to ${first}`,
      );
    }
    const d = given ?? first;
    if (d === undefined) {
      throw new ImportError(
        `--image: "${sample.name}" has shape ${shown(sample)}, so give the image size as C,H,W`,
      );
    }
    return d;
  });
  return { channels: dims[0]!, height: dims[1]!, width: dims[2]! };
}
