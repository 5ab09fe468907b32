import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { serializeWeights, sparseFromDense } from '../../core';
import {
  CODE_BIT_ORDER,
  fileEntry,
  manifestSchema,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type Manifest,
} from '../../runtime';
import { loadDataset } from '../data';
import { writeFileAtomic } from '../io/atomic';
import { ENCODER_SCOPE, SIGMA_DATA } from '../model';
import { loadCheckpoint } from '../trainer';
import { modelCard } from './card';
import { exportGraphs } from './graphs';
import { checkParity, PARITY_TOLERANCE, type ParityResult } from './parity';
import { checkExportTarget } from './target';

export const SIGMA_MIN = 0.002;
export const SIGMA_MAX = 80;

export interface ExportResult {
  dir: string;
  manifest: Manifest;
  parity: ParityResult;
}

/** Normalised sparse weights: the EMA sums to 1 - prod(mu), the file holds probabilities. */
function weightsFile(dense: Float32Array): Uint8Array {
  let total = 0;
  for (const v of dense) total += v;
  if (!(total > 0))
    throw new Error('export: the run has no code-usage weights yet (train at least one step)');
  return new Uint8Array(serializeWeights(sparseFromDense(dense.map((v) => v / total))));
}

/**
 * Exports a run's EMA parameters as a model folder (denoiser.onnx, encoder.onnx, weights.bin,
 * manifest.json, card.md). `outDir` is checked first (checkExportTarget: only a missing or empty
 * folder or a model folder is replaced, unless `force`), then the parity check runs and nothing is
 * written when it fails; files go to a temp folder that replaces `outDir` in one rename.
 */
export async function exportRun(
  run: string,
  outDir: string,
  opts: { name?: string; force?: boolean } = {},
): Promise<ExportResult> {
  await checkExportTarget(outDir, opts.force);
  const { config, state } = await loadCheckpoint(run);
  const graphs = exportGraphs(config.model, config.mode, state.ema);
  const parity = await checkParity(config.model, config.mode, state.ema, graphs);
  const worst = Math.max(parity.denoiser, parity.encoder ?? 0);
  if (!(worst <= PARITY_TOLERANCE)) {
    throw new Error(
      `export: parity check failed (max |exported - training forward| = ${worst} > ${PARITY_TOLERANCE}; ` +
        `denoiser ${parity.denoiser}, encoder ${parity.encoder ?? '-'}); nothing written`,
    );
  }
  const dataset = await loadDataset(config.dataset, { dataDir: config.dataDir, limit: 1 });
  const files: [string, Uint8Array][] = [['denoiser.onnx', graphs.denoiser.model]];
  if (graphs.encoder) files.push(['encoder.onnx', graphs.encoder.model]);
  if (config.mode === 'qac') {
    if (!state.codeWeights) throw new Error(`export: ${run} is a QAC run without code weights`);
    files.push(['weights.bin', weightsFile(state.codeWeights)]);
  }
  const entries = Object.fromEntries(
    await Promise.all(
      files.map(async ([path, bytes]) => [path, await fileEntry(path, bytes)] as const),
    ),
  );
  const counts = { denoiser: 0, encoder: 0 };
  for (const [name, v] of state.ema)
    counts[name.startsWith(`${ENCODER_SCOPE}.`) ? 'encoder' : 'denoiser'] += v.length;
  const body: Omit<Manifest, 'files'> = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name: opts.name ?? basename(resolve(outDir)),
    dataset: config.dataset,
    kind: config.mode,
    image: {
      channels: config.model.channels,
      height: config.model.height,
      width: config.model.width,
      valueRange: [-1, 1],
    },
    sigmaData: SIGMA_DATA,
    sigmaMin: SIGMA_MIN,
    sigmaMax: SIGMA_MAX,
    code:
      config.mode === 'qac'
        ? { bits: config.model.bits, levels: config.model.levels, bitOrder: CODE_BIT_ORDER }
        : null,
    parameters: config.mode === 'qac' ? counts : { denoiser: counts.denoiser },
    training: {
      config: config as unknown as Record<string, unknown>,
      steps: state.step,
      wallTimeSeconds: Math.round(state.wallTimeSeconds),
    },
    evaluation: null,
    ...(dataset.credits !== undefined && { credits: dataset.credits }),
  };
  const card = new TextEncoder().encode(modelCard(body, dataset.source));
  files.push(['card.md', card]);
  const manifest = manifestSchema.parse({
    ...body,
    files: {
      denoiser: entries['denoiser.onnx'],
      ...(entries['encoder.onnx'] && { encoder: entries['encoder.onnx'] }),
      ...(entries['weights.bin'] && { weights: entries['weights.bin'] }),
      card: await fileEntry('card.md', card),
    },
  });
  files.push(['manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n')]);
  await writeFolderAtomic(resolve(outDir), files);
  return { dir: resolve(outDir), manifest, parity };
}

/** Writes every file into a sibling temp folder, then swaps it in for `dir` by renames. */
async function writeFolderAtomic(
  dir: string,
  files: readonly [string, Uint8Array][],
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const temp = join(dirname(dir), `.${basename(dir)}.${process.pid}.partial`);
  const old = join(dirname(dir), `.${basename(dir)}.${process.pid}.old`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  try {
    for (const [name, bytes] of files) await writeFileAtomic(join(temp, name), bytes);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  const hadOld = await stat(dir).then(
    () => true,
    () => false,
  );
  if (hadOld) await rename(dir, old);
  await rename(temp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
