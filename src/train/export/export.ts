import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Manifest } from '../../runtime';
import { loadDataset } from '../data';
import { writeFileAtomic } from '../io/atomic';
import { loadCheckpoint } from '../trainer';
import { modelFolderFiles } from './folder';
import { exportGraphs } from './graphs';
import { checkParity, PARITY_TOLERANCE, type ParityResult } from './parity';
import { checkExportTarget } from './target';

export { SIGMA_MAX, SIGMA_MIN } from './folder';

export interface ExportResult {
  dir: string;
  manifest: Manifest;
  parity: ParityResult;
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
  const { manifest, files } = await modelFolderFiles(
    config,
    state,
    graphs,
    opts.name ?? basename(resolve(outDir)),
    dataset,
  );
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
