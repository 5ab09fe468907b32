import { Rng } from '../../core';
import type { TrainConfig } from './config';

/** Streams of the per-step noise, far from the data order's (1 << 20) and core's sampling streams. */
const STEP_STREAM_BASE = 1 << 30;

export interface StepNoise {
  sigma: Float32Array;
  noise: Float32Array;
}

/**
 * The noise levels and Gaussian noise of one step, drawn from a generator seeded by (seed, step)
 * alone: a resumed run draws exactly what an uninterrupted one would, with no RNG state to save.
 */
export function stepNoise(c: TrainConfig, step: number, imageSize: number): StepNoise {
  const rng = new Rng(c.seed, STEP_STREAM_BASE + step);
  const sigma = new Float32Array(c.batch);
  const mix = c.pMix;
  for (let k = 0; k < c.batch; k++) {
    // The component is drawn only when there is one, so single-normal runs keep their old streams.
    const [mean, std] = mix && rng.uniform() < mix.share ? [mix.mean, mix.std] : [c.pMean, c.pStd];
    sigma[k] = Math.exp(mean + std * rng.normal());
  }
  const noise = new Float32Array(c.batch * imageSize);
  rng.fillNormal(noise);
  return { sigma, noise };
}
