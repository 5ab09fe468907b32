import type { TrainConfig } from './config';

/** Learning rate of 0-based step `step`: linear warm-up, then constant. */
export function learningRate(c: TrainConfig, step: number): number {
  return c.warmupSteps > 0 ? c.lr * Math.min(1, (step + 1) / c.warmupSteps) : c.lr;
}

/**
 * EMA decay mu after `imagesSeen` images (EDM's half-life with ramp-up): the half-life is
 * min(emaHalfLifeImages, emaRampup * imagesSeen) images, so early averages forget the random
 * initialisation quickly. The sampling weights use the same mu (online collection, docs/math.md §3).
 */
export function emaDecay(c: TrainConfig, imagesSeen: number): number {
  const halfLife = Math.min(c.emaHalfLifeImages, c.emaRampup * imagesSeen);
  return halfLife > 0 ? 0.5 ** (c.batch / halfLife) : 0;
}
