import { WSD_COOLDOWN, type TrainConfig } from './config';

/** Learning rate of 0-based step `step`: linear warm-up, then `c.lrSchedule` (config.ts). */
export function learningRate(c: TrainConfig, step: number): number {
  const warm = c.warmupSteps > 0 ? Math.min(1, (step + 1) / c.warmupSteps) : 1;
  return c.lr * warm * decay(c, step);
}

function decay(c: TrainConfig, step: number): number {
  switch (c.lrSchedule) {
    case 'constant':
      return 1;
    case 'cosine':
      // Step k updates with the rate at k, so the last planned step still moves (k < lrDecaySteps).
      return 0.5 * (1 + Math.cos((Math.PI * Math.min(step, c.lrDecaySteps)) / c.lrDecaySteps));
    case 'rsqrt':
      return 1 / Math.sqrt(Math.max(step / c.lrDecaySteps, 1));
    case 'wsd':
      return Math.min(1, Math.max(0, (c.lrDecaySteps - step) / (WSD_COOLDOWN * c.lrDecaySteps)));
  }
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
