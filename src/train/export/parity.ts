import { Rng } from '../../core';
import type { ModelGraph, ParamValues } from '../../graph';
import { GraphSession, type Feeds } from '../../runtime/train-session';
import { IO, type ModelConfig, type Mode } from '../model';
import { BUILD_BATCH, trainingForwards, type ExportedGraphs } from './graphs';

/** Largest |exported - training forward| the exporter accepts (the bound). */
export const PARITY_TOLERANCE = 1e-4;

export interface ParityResult {
  denoiser: number;
  encoder: number | null;
}

async function runOnce(graph: ModelGraph, feeds: Feeds): Promise<Float32Array> {
  const s = await GraphSession.create(graph, { threads: 1 });
  try {
    const out = await s.run(feeds);
    return out[graph.outputs[0]!.name] as Float32Array;
  } finally {
    await s.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/**
 * Runs the exported graphs and the training-mode forward graphs (parameters fed from `values`)
 * on the same fixed inputs: noisy images at a low and a high noise level, random +-1 codes.
 */
export async function checkParity(
  cfg: ModelConfig,
  mode: Mode,
  values: ParamValues,
  exported: ExportedGraphs,
): Promise<ParityResult> {
  const rng = new Rng(7, 77);
  const size = BUILD_BATCH * cfg.channels * cfg.height * cfg.width;
  const clean = new Float32Array(size);
  rng.fillNormal(clean, 0, size, 0.5);
  const sigma = Float32Array.from({ length: BUILD_BATCH }, (_, k) => (k % 2 === 0 ? 0.3 : 8));
  const x = clean.map((v, i) => v + sigma[Math.floor(i / (size / BUILD_BATCH))]! * rng.normal());
  const code = Float32Array.from({ length: BUILD_BATCH * cfg.bits }, () =>
    rng.uniform() < 0.5 ? -1 : 1,
  );
  const params: Record<string, Float32Array> = Object.fromEntries(values);
  const train = trainingForwards(cfg, mode);
  const pick = (g: ModelGraph, feeds: Feeds): Feeds =>
    Object.fromEntries(g.inputs.map((i) => [i.name, feeds[i.name] ?? params[i.name]!]));
  const denFeeds: Feeds =
    mode === 'qac'
      ? { [IO.x]: x, [IO.sigma]: sigma, [IO.code]: code }
      : { [IO.x]: x, [IO.sigma]: sigma };
  const denoiser = maxAbsDiff(
    await runOnce(exported.denoiser, denFeeds),
    await runOnce(train.denoiser, pick(train.denoiser, denFeeds)),
  );
  let encoder: number | null = null;
  if (exported.encoder && train.encoder) {
    const encFeeds = { [IO.x]: clean };
    encoder = maxAbsDiff(
      await runOnce(exported.encoder, encFeeds),
      await runOnce(train.encoder, pick(train.encoder, encFeeds)),
    );
  }
  return { denoiser, encoder };
}
