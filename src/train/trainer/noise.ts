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
  for (let k = 0; k < c.batch; k++) sigma[k] = Math.exp(c.pMean + c.pStd * rng.normal());
  const noise = new Float32Array(c.batch * imageSize);
  rng.fillNormal(noise);
  return { sigma, noise };
}
