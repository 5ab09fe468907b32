// Warm ms per denoiser call of a loaded model (any runtime adapter): the figure bench:browser
// compares the app's against and bench:gpu compares the EPs by.
import { Rng } from '../src/core';
import type { LoadedModel } from '../src/runtime';

export interface CallTiming {
  /** Median of the timed calls, after the warm-up. */
  readonly ms: number;
  /** The first call of the model's sessions (ORT's first-run work), for the record. */
  readonly firstMs: number;
}

/**
 * Times `calls` calls of `model.denoise` on one batch of noise at sigma 1 (codes drawn as +-1 bits
 * for a QAC model), after `warmup` calls; the batch and inputs stay the same throughout, as in a
 * sampling run.
 */
export async function denoiserCallMs(
  model: LoadedModel,
  batch: number,
  calls = 20,
  warmup = 3,
): Promise<CallTiming> {
  const rng = new Rng(1, 0);
  const x = Float32Array.from({ length: batch * model.imageSize }, () => rng.normal());
  const code =
    model.codeBits > 0
      ? Float32Array.from({ length: batch * model.codeBits }, () => (rng.uniform() < 0.5 ? -1 : 1))
      : undefined;
  const call = async () => {
    const t = performance.now();
    await model.denoise(x, 1, batch, code);
    return performance.now() - t;
  };
  const firstMs = await call();
  for (let i = 1; i < warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) times.push(await call());
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, firstMs };
}
