import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  fileEntry,
  MANIFEST_LIMITS,
  manifestSchema,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  sha256Hex,
  type Manifest,
  type ModelSource,
} from '../../runtime';
import { runOnce, type ProbeOutput, type ProbeTensor } from '../../runtime/node/probe';
import { checkExportTarget } from '../export/target';
import { writeFolderAtomic } from '../io/atomic';
import { importCard } from './card';
import { ExternalModelError, readExternalModel } from './external';
import { checkInterface, DEFAULT_NAMES, type ExternalInterface } from './interface';
import { mergeWrapper } from './merge';
import { ImportError, noisePlan, type NoiseFlags, type NoisePlan } from './plan';
import { wrapperGraph } from './wrapper';

export interface ImportOptions extends NoiseFlags {
  readonly onnx: string;
  readonly out: string;
  /** Sample and timestep input names (default diffusers' sample, timestep). */
  readonly inputNames?: readonly [string, string];
  readonly outputName?: string;
  readonly image?: readonly [number, number, number];
  readonly name?: string;
  readonly dataset?: string;
  readonly credits?: string;
  /** Replace --out whatever it holds. */
  readonly force?: boolean;
}

export interface ImportResult {
  readonly dir: string;
  readonly manifest: Manifest;
  /** The composed graph's output range on the zero test call, at sigma_min and sigma_max. */
  readonly testCall: { readonly min: number; readonly max: number };
}

/** ONNX files are protobufs, which cannot exceed 2 GiB. */
const MAX_ONNX_BYTES = 2 ** 31 - 1;
/** The test calls run this batch, so a batch axis that is not free fails here, not in the app. */
const TEST_BATCH = 2;

async function readOnnx(path: string): Promise<Uint8Array> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new ImportError(`--onnx ${path}: no such file`);
  if (!s.isFile()) throw new ImportError(`--onnx ${path}: not a regular file`);
  if (s.size > MAX_ONNX_BYTES)
    throw new ImportError(`--onnx ${path}: ${s.size} bytes is beyond ONNX's 2 GiB limit`);
  return new Uint8Array(await readFile(path));
}

/** Finite values of exactly [batch, C, H, W], or a problem naming the tensor. */
function checkImages(t: ProbeOutput | undefined, name: string, io: ExternalInterface): string {
  if (!t) return `gave no "${name}"`;
  const want = [TEST_BATCH, io.channels, io.height, io.width];
  if (t.dims.join(',') !== want.join(','))
    return `"${name}" came back [${t.dims.join(',')}], expected [${want.join(',')}]`;
  for (let i = 0; i < t.data.length; i++) {
    const v = Number(t.data[i]);
    if (!Number.isFinite(v)) return `"${name}" holds ${v} at index ${i}`;
  }
  return '';
}

const zeros = (io: ExternalInterface) =>
  new Float32Array(TEST_BATCH * io.channels * io.height * io.width);

/** The external network alone, on zero images at timestep 0 (c_noise 0 for edm). */
async function testExternal(
  bytes: Uint8Array,
  io: ExternalInterface,
  names: typeof DEFAULT_NAMES,
  where: string,
): Promise<void> {
  const timestep: ProbeTensor =
    io.timestep === 'nearest'
      ? { type: 'int64', data: new BigInt64Array(TEST_BATCH), dims: [TEST_BATCH] }
      : { type: 'float32', data: new Float32Array(TEST_BATCH), dims: [TEST_BATCH] };
  let out;
  try {
    out = await runOnce(bytes, {
      [names.sample]: {
        type: 'float32',
        data: zeros(io),
        dims: [TEST_BATCH, io.channels, io.height, io.width],
      },
      [names.timestep]: timestep,
    });
  } catch (e) {
    throw new ImportError(
      `${where}: the test call on zeros failed in onnxruntime: ${(e as Error).message}`,
    );
  }
  const problem = checkImages(out[names.output], names.output, io);
  if (problem) throw new ImportError(`${where}: the test call on zeros ${problem}`);
}

/** The composed denoiser on zero images at sigma_min and sigma_max; returns its output range. */
async function testComposed(
  bytes: Uint8Array,
  io: ExternalInterface,
  plan: NoisePlan,
  where: string,
): Promise<{ min: number; max: number }> {
  let out;
  try {
    out = await runOnce(bytes, {
      x: { type: 'float32', data: zeros(io), dims: [TEST_BATCH, io.channels, io.height, io.width] },
      sigma: {
        type: 'float32',
        data: Float32Array.of(plan.sigmaMin, plan.sigmaMax),
        dims: [TEST_BATCH],
      },
    });
  } catch (e) {
    throw new ImportError(
      `${where}: the wrapped denoiser failed its test call in onnxruntime: ${(e as Error).message}`,
    );
  }
  const problem = checkImages(out.denoised, 'denoised', io);
  if (problem) throw new ImportError(`${where}: the wrapped denoiser's test call ${problem}`);
  const values = Array.from(out.denoised!.data, Number);
  return { min: Math.min(...values), max: Math.max(...values) };
}

function sourceOf(
  opts: ImportOptions,
  bytes: Uint8Array,
  sha256: string,
  plan: NoisePlan,
  io: ExternalInterface,
  names: typeof DEFAULT_NAMES,
): ModelSource {
  const s = plan.schedule;
  return {
    kind: 'import',
    onnx: { file: basename(opts.onnx), sha256, bytes: bytes.byteLength },
    parameterisation: {
      prediction: plan.prediction,
      schedule: s && {
        betaSchedule: s.type,
        betaStart: s.type === 'trained' ? null : s.betaStart,
        betaEnd: s.type === 'trained' ? null : s.betaEnd,
        numTrainTimesteps: s.type === 'trained' ? s.betas.length : s.numTrainTimesteps,
      },
      timestep: io.timestep,
      inputs: { sample: names.sample, timestep: names.timestep },
      output: names.output,
      valueRange: [plan.valueRange[0], plan.valueRange[1]],
      sigmaData: plan.sigmaData,
    },
  };
}

/**
 * `npm run import`: wraps an external ONNX network (epsilon, v, x0 or EDM F; discrete VP schedule
 * or EDM) into a model folder whose denoiser.onnx takes `x`, `sigma` and gives `denoised`, like
 * the ones this project trains (docs/math.md §9). Everything is checked before anything is
 * written: the flags, --out, the network's interface, a test call of the network on zeros and one
 * of the composed graph; the folder is then written atomically.
 */
export async function importModel(opts: ImportOptions): Promise<ImportResult> {
  for (const [flag, v] of [
    ['--name', opts.name],
    ['--dataset', opts.dataset],
  ] as const) {
    if (v !== undefined && v.trim() === '') throw new ImportError(`${flag}: must not be empty`);
  }
  const plan = await noisePlan(opts);
  const target: unknown = await checkExportTarget(opts.out, opts.force).catch((e: unknown) => {
    throw new ImportError((e as Error).message.replace(/^export: /, '--out '));
  });
  // Where --out leads when it is a symlink (the export's check says so), else the path itself.
  const dir = typeof target === 'string' ? target : resolve(opts.out);
  const where = `--onnx ${opts.onnx}`;
  const bytes = await readOnnx(opts.onnx);
  let external;
  try {
    external = readExternalModel(bytes);
  } catch (e) {
    if (e instanceof ExternalModelError) throw new ImportError(`${where}: ${e.message}`);
    throw e;
  }
  const names = {
    sample: opts.inputNames?.[0] ?? DEFAULT_NAMES.sample,
    timestep: opts.inputNames?.[1] ?? DEFAULT_NAMES.timestep,
    output: opts.outputName ?? DEFAULT_NAMES.output,
  };
  const io = checkInterface(external, {
    onnx: opts.onnx,
    names,
    image: opts.image,
    prediction: plan.prediction,
  });
  const { imageSide } = MANIFEST_LIMITS;
  if (io.channels > 4 || io.height > imageSide || io.width > imageSide) {
    throw new ImportError(
      `${opts.image ? '--image' : where}: ${io.channels}x${io.height}x${io.width} is beyond the app's limits (at most 4 channels, ${imageSide} px a side)`,
    );
  }
  await testExternal(bytes, io, names, where);
  const wrapper = wrapperGraph({
    ...io,
    prediction: plan.prediction,
    sigmas: plan.sigmas,
    valueRange: plan.valueRange,
    sigmaData: plan.sigmaData,
  });
  const denoiser = mergeWrapper(external, wrapper.model, names);
  const testCall = await testComposed(denoiser, io, plan, where);

  const name = opts.name ?? basename(dir);
  const body: Omit<Manifest, 'files'> & { source: ModelSource } = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name,
    dataset: opts.dataset ?? 'imported',
    kind: 'baseline',
    image: {
      channels: io.channels,
      height: io.height,
      width: io.width,
      valueRange: [-1, 1],
    },
    sigmaData: plan.sigmaData / ((plan.valueRange[1] - plan.valueRange[0]) / 2),
    sigmaMin: plan.sigmaMin,
    sigmaMax: plan.sigmaMax,
    code: null,
    parameters: { denoiser: external.parameters },
    training: { config: { imported: basename(opts.onnx) }, steps: 0, wallTimeSeconds: 0 },
    evaluation: null,
    ...(opts.credits !== undefined && { credits: opts.credits }),
    source: sourceOf(opts, bytes, await sha256Hex(bytes), plan, io, names),
  };
  const card = new TextEncoder().encode(importCard(body));
  const manifest = manifestSchema.parse({
    ...body,
    files: {
      denoiser: await fileEntry('denoiser.onnx', denoiser),
      card: await fileEntry('card.md', card),
    },
  });
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
  await writeFolderAtomic(dir, [
    ['denoiser.onnx', denoiser],
    ['card.md', card],
    ['manifest.json', manifestBytes],
  ]);
  return { dir, manifest, testCall };
}
