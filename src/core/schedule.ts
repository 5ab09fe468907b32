/**
 * Noise-level grids (docs/math.md §4). Every grid runs from sigmaMax down. Two end conventions:
 * - 'zero' (EDM, k-diffusion): N steps give N positive sigmas then a final 0, so the last step
 *   lands on the denoised image.
 * - 'sigmaMin' (zju-pi/diff-sampler): N steps give N+1 positive sigmas ending at sigmaMin, and the
 *   sampler returns the state there. The same N costs the same NFE in both conventions.
 */

export type GridEnd = 'zero' | 'sigmaMin';

export interface ScheduleOptions {
  sigmaMin?: number;
  sigmaMax?: number;
  /** Karras/polynomial exponent; ignored by the other schedules. */
  rho?: number;
  end?: GridEnd;
}

export type ScheduleName = 'karras' | 'logsnr' | 'time-uniform';

export const MAX_STEPS = 1000;

interface Resolved {
  sigmaMin: number;
  sigmaMax: number;
  rho: number;
  end: GridEnd;
}

function resolve(steps: number, opts: ScheduleOptions): Resolved {
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    throw new RangeError(`steps must be an integer in 1..${MAX_STEPS}, got ${steps}`);
  }
  const r: Resolved = {
    sigmaMin: opts.sigmaMin ?? 0.002,
    sigmaMax: opts.sigmaMax ?? 80,
    rho: opts.rho ?? 7,
    end: opts.end ?? 'zero',
  };
  if (!(Number.isFinite(r.sigmaMin) && r.sigmaMin > 0)) {
    throw new RangeError(`sigmaMin must be a positive finite number, got ${r.sigmaMin}`);
  }
  if (!(Number.isFinite(r.sigmaMax) && r.sigmaMax > r.sigmaMin)) {
    throw new RangeError(`sigmaMax must be finite and above sigmaMin, got ${r.sigmaMax}`);
  }
  if (!(Number.isFinite(r.rho) && r.rho > 0)) {
    throw new RangeError(`rho must be a positive finite number, got ${r.rho}`);
  }
  if (r.end !== 'zero' && r.end !== 'sigmaMin') {
    throw new RangeError(`end must be 'zero' or 'sigmaMin', got ${String(r.end)}`);
  }
  return r;
}

/**
 * Builds the grid from a map of the ramp position p in [0, 1] (0 = sigmaMax, 1 = sigmaMin) to sigma.
 * With 'zero', N positive levels sit at p = i/(N-1) (a single step starts at sigmaMax, as in
 * k-diffusion); with 'sigmaMin', N+1 levels sit at p = i/N.
 */
function grid(steps: number, end: GridEnd, at: (p: number) => number): number[] {
  const out: number[] = [];
  if (end === 'zero') {
    for (let i = 0; i < steps; i++) out.push(at(steps === 1 ? 0 : i / (steps - 1)));
    out.push(0);
  } else {
    for (let i = 0; i <= steps; i++) out.push(at(i / steps));
  }
  return out;
}

/** EDM/Karras polynomial schedule: uniform in sigma^(1/rho). */
export function karrasSigmas(steps: number, opts: ScheduleOptions = {}): number[] {
  const { sigmaMin, sigmaMax, rho, end } = resolve(steps, opts);
  const a = sigmaMax ** (1 / rho);
  const b = sigmaMin ** (1 / rho);
  return grid(steps, end, (p) => (a + p * (b - a)) ** rho);
}

/** Uniform in logSNR = -2 ln(sigma), i.e. geometric spacing of sigma. */
export function logSnrSigmas(steps: number, opts: ScheduleOptions = {}): number[] {
  const { sigmaMin, sigmaMax, end } = resolve(steps, opts);
  const a = Math.log(sigmaMax);
  const b = Math.log(sigmaMin);
  return grid(steps, end, (p) => Math.exp(a + p * (b - a)));
}

/**
 * Uniform in the time of a VP-SDE (DPM-Solver's 'time_uniform'): t runs linearly from 1 to
 * eps = 1e-3 and sigma(t) = sqrt(exp(beta_d t^2 / 2 + beta_min t) - 1), with beta_d and beta_min
 * fitted so that sigma(1) = sigmaMax and sigma(eps) = sigmaMin.
 */
export function timeUniformSigmas(steps: number, opts: ScheduleOptions = {}): number[] {
  const { sigmaMin, sigmaMax, end } = resolve(steps, opts);
  const { betaD, betaMin, eps } = vpFit(sigmaMin, sigmaMax);
  return grid(steps, end, (p) => {
    const t = 1 + p * (eps - 1);
    return Math.sqrt(Math.expm1(0.5 * betaD * t * t + betaMin * t));
  });
}

/**
 * The VP-SDE time behind 'time-uniform' (and DEIS's time variable): beta_d and beta_min such that
 * sigma(t) = sqrt(exp(beta_d t^2 / 2 + beta_min t) - 1) is sigmaMax at t = 1 and sigmaMin at eps.
 */
export function vpFit(
  sigmaMin: number,
  sigmaMax: number,
): { betaD: number; betaMin: number; eps: number } {
  const eps = 1e-3;
  const lMax = Math.log1p(sigmaMax * sigmaMax);
  const lMin = Math.log1p(sigmaMin * sigmaMin);
  // Solve beta_d/2 * t^2 + beta_min * t = l at t = 1 and t = eps.
  const betaD = (2 * (lMin / eps - lMax)) / (eps - 1);
  return { betaD, betaMin: lMax - betaD / 2, eps };
}

export function makeSigmas(
  name: ScheduleName,
  steps: number,
  opts: ScheduleOptions = {},
): number[] {
  switch (name) {
    case 'karras':
      return karrasSigmas(steps, opts);
    case 'logsnr':
      return logSnrSigmas(steps, opts);
    case 'time-uniform':
      return timeUniformSigmas(steps, opts);
    default:
      throw new RangeError(`unknown schedule '${String(name)}'`);
  }
}

/**
 * Checks a grid before a solver walks it: at least one step, finite, strictly decreasing, all
 * positive except a final 0. Returns the number of steps.
 */
export function validateSigmas(sigmas: readonly number[]): number {
  if (!Array.isArray(sigmas) || sigmas.length < 2) {
    throw new RangeError(
      `sigmas must list at least 2 noise levels, got ${Array.isArray(sigmas) ? sigmas.length : typeof sigmas}`,
    );
  }
  if (sigmas.length - 1 > MAX_STEPS) {
    throw new RangeError(`sigmas has ${sigmas.length - 1} steps, at most ${MAX_STEPS} allowed`);
  }
  for (let i = 0; i < sigmas.length; i++) {
    const s = sigmas[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw new RangeError(`sigmas[${i}] must be a finite number >= 0, got ${s}`);
    }
    if (s === 0 && i !== sigmas.length - 1) {
      throw new RangeError(`sigmas[${i}] is 0 but only the last noise level may be 0`);
    }
    if (i > 0 && !(s < sigmas[i - 1])) {
      throw new RangeError(
        `sigmas must be strictly decreasing: sigmas[${i}] = ${s} is not below sigmas[${i - 1}] = ${sigmas[i - 1]}`,
      );
    }
  }
  return sigmas.length - 1;
}
