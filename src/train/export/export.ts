import { basename, dirname, resolve } from 'node:path';
import type { Manifest } from '../../runtime';
import { loadDataset } from '../data';
import { writeFolderAtomic } from '../io/atomic';
import { checkFreeSpace } from '../io/space';
import { loadCheckpoint } from '../trainer';
import { modelFolderFiles } from './folder';
import { exportGraphs } from './graphs';
import { checkParity, PARITY_TOLERANCE, type ParityResult } from './parity';
import { checkExportTarget } from './target';

export interface ExportResult {
  /** The folder written: OUT, or where OUT leads when it is a symlink. */
  dir: string;
  manifest: Manifest;
  parity: ParityResult;
}

/**
 * Exports a run's EMA parameters as a model folder (denoiser.onnx, encoder.onnx, weights.bin,
 * manifest.json, card.md). `outDir` is checked first (checkExportTarget: only a missing or empty
 * folder or a model folder is replaced, unless `force`), then the parity check runs and nothing is
 * written when it fails; files go to a temp folder that replaces `outDir` in one rename. A symlink
 * at `outDir` stays: the folder it leads to is the one checked and replaced. Free space is checked
 * before the parity check (the parameters' bytes, a lower bound) and again with the exact sizes.
 */
export async function exportRun(
  run: string,
  outDir: string,
  opts: { name?: string; force?: boolean } = {},
): Promise<ExportResult> {
  const dir = await checkExportTarget(outDir, opts.force);
  const { config, state } = await loadCheckpoint(run);
  let parameters = 0;
  for (const v of state.ema.values()) parameters += v.length;
  await checkFreeSpace(dirname(dir), [4 * parameters], `export: ${outDir}`, true);
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
  const sizes = files.map(([, bytes]) => bytes.byteLength);
  await checkFreeSpace(dirname(dir), sizes, `export: ${outDir}`);
  await writeFolderAtomic(dir, files);
  return { dir, manifest, parity };
}
