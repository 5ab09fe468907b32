/**
 * Discrete variance-preserving schedules as diffusers defines them (DDPMScheduler's
 * `beta_schedule`), and the map between their integer timesteps and our noise levels sigma
 * (docs/math.md §9). Computed in float64; the wrapper graph stores the tables as float32.
 */

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaScheduleName = (typeof BETA_SCHEDULES)[number];

/** A discrete schedule: the named rule and its numbers, or the betas themselves. */
export type BetaSchedule =
  | {
      readonly type: BetaScheduleName;
      readonly betaStart: number;
      readonly betaEnd: number;
      readonly numTrainTimesteps: number;
    }
  | { readonly type: 'trained'; readonly betas: readonly number[] };

/** diffusers' cosine schedule (Nichol & Dhariwal): alphabar(t) at t in [0, 1]. */
const cosineAlphaBar = (t: number) => Math.cos((((t + 0.008) / 1.008) * Math.PI) / 2) ** 2;

/** The largest beta the cosine schedule allows, so the last alphabar stays above 0. */
const COSINE_MAX_BETA = 0.999;

const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));

export function betasOf(s: BetaSchedule): number[] {
  switch (s.type) {
    case 'trained':
      return [...s.betas];
    case 'linear':
      return linspace(s.betaStart, s.betaEnd, s.numTrainTimesteps);
    case 'scaled_linear':
      return linspace(Math.sqrt(s.betaStart), Math.sqrt(s.betaEnd), s.numTrainTimesteps).map(
        (r) => r * r,
      );
    case 'squaredcos_cap_v2': {
      const n = s.numTrainTimesteps;
      return Array.from({ length: n }, (_, i) =>
        Math.min(1 - cosineAlphaBar((i + 1) / n) / cosineAlphaBar(i / n), COSINE_MAX_BETA),
      );
    }
  }
}

/** alphabar_t = prod_{i <= t} (1 - beta_i), for t = 0 .. T-1. */
export function alphasCumprod(betas: readonly number[]): number[] {
  let prod = 1;
  return betas.map((b) => (prod *= 1 - b));
}

/**
 * The noise level of each trained timestep in the variance-exploding view k-diffusion uses:
 * x_t / sqrt(alphabar_t) = x0 + sigma_t n with sigma_t = sqrt((1 - alphabar_t) / alphabar_t).
 * Increasing in t for every valid schedule.
 */
export function discreteSigmas(alphabar: readonly number[]): number[] {
  return alphabar.map((a) => Math.sqrt((1 - a) / a));
}

/**
 * Checks betas before they become sigmas: each in (0, 1), so alphabar falls strictly and stays
 * positive. Returns a problem to report, or null.
 */
export function betasProblem(betas: readonly number[]): string | null {
  if (betas.length < 2) return `needs at least 2 timesteps, got ${betas.length}`;
  const bad = betas.findIndex((b) => !(Number.isFinite(b) && b > 0 && b < 1));
  if (bad >= 0) return `beta_${bad} = ${betas[bad]} is not in (0, 1)`;
  const last = alphasCumprod(betas).at(-1)!;
  // Past this, sigma_max is beyond what the manifest (and float32 sampling) accepts.
  if (!(last > 1e-12)) return `alphabar at the last timestep is ${last}, too close to 0`;
  return null;
}

/**
 * k-diffusion's sigma -> t: linear interpolation in log sigma between the two trained timesteps
 * around sigma, clamped to [0, T-1]. `quantize` instead returns the timestep whose log sigma is
 * nearest (ties to the lower one).
 */
export function sigmaToT(sigmas: readonly number[], sigma: number, quantize = false): number {
  const ls = Math.log(sigma);
  const logs = sigmas.map(Math.log);
  const last = logs.length - 1;
  if (ls <= logs[0]!) return 0;
  if (ls >= logs[last]!) return last;
  let lo = 0;
  while (logs[lo + 1]! < ls) lo++;
  const w = (ls - logs[lo]!) / (logs[lo + 1]! - logs[lo]!);
  if (quantize) return w > 0.5 ? lo + 1 : lo;
  return lo + w;
}

/** The inverse: the log-sigma interpolation at a fractional timestep t in [0, T-1]. */
export function tToSigma(sigmas: readonly number[], t: number): number {
  const lo = Math.min(Math.max(Math.floor(t), 0), sigmas.length - 1);
  const hi = Math.min(lo + 1, sigmas.length - 1);
  const w = t - lo;
  return Math.exp((1 - w) * Math.log(sigmas[lo]!) + w * Math.log(sigmas[hi]!));
}
