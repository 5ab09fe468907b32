import type { Rng } from './rng';
import type { Denoise, StepInfo } from './types';

/** Resolved EDM Algorithm 2 parameters. */
export interface Churn {
  churn: number;
  sTmin: number;
  sTmax: number;
  sNoise: number;
}

export interface RunConfig {
  denoise: Denoise;
  sigmas: readonly number[];
  x: Float32Array;
  batch: number;
  /** sigma_data for the analytical first step, or null when AFS is off. */
  afsSigmaData: number | null;
  /** One generator per sample on its SDE stream. */
  rngs: Rng[];
  churn: Churn;
  onStep?: (s: StepInfo) => void;
}

/**
 * The state a solver walks: the working x (owned, updated in place), the grid, and the only doors
 * to the outside world: counted and checked denoiser calls, per-sample noise and the step report.
 */
export class SolverRun {
  readonly sigmas: readonly number[];
  readonly x: Float32Array;
  readonly churn: Churn;
  nfe = 0;
  private readonly input: Float32Array;
  private readonly analytic: Float32Array;
  private readonly sampleSize: number;

  constructor(private readonly cfg: RunConfig) {
    this.sigmas = cfg.sigmas;
    this.x = Float32Array.from(cfg.x);
    this.churn = cfg.churn;
    this.input = new Float32Array(cfg.x.length);
    this.analytic = new Float32Array(cfg.afsSigmaData === null ? 0 : cfg.x.length);
    this.sampleSize = cfg.x.length / cfg.batch;
  }

  get steps(): number {
    return this.sigmas.length - 1;
  }

  /**
   * One network call D(x; sigma) during step `step`. The denoiser gets a private copy of x, so it
   * may keep or reuse it; the returned array is only valid until the next call.
   */
  async denoise(x: Float32Array, sigma: number, step: number): Promise<Float32Array> {
    this.input.set(x);
    const out = await this.cfg.denoise(this.input, sigma);
    this.nfe++;
    if (!(out instanceof Float32Array)) {
      throw new TypeError(`denoiser must return a Float32Array (step ${step}, sigma ${sigma})`);
    }
    if (out.length !== x.length) {
      throw new RangeError(
        `denoiser returned ${out.length} values at step ${step}, expected ${x.length} (the whole batch)`,
      );
    }
    for (let j = 0; j < out.length; j++) {
      // v - v is 0 for finite v and NaN for NaN and +-Infinity.
      if (out[j] - out[j] !== 0) {
        throw new RangeError(
          `denoiser returned ${out[j]} at step ${step} (sigma ${sigma}, value index ${j})`,
        );
      }
    }
    return out;
  }

  /**
   * The first evaluation of a step at (x_i, sigma_i). With AFS on, step 0 uses the optimal
   * denoiser for N(0, sigma_data^2 I) data, x * sd^2 / (sigma^2 + sd^2), and costs no call.
   */
  denoiseStart(x: Float32Array, sigma: number, step: number): Promise<Float32Array> | Float32Array {
    const sd = this.cfg.afsSigmaData;
    if (step !== 0 || sd === null) return this.denoise(x, sigma, step);
    const c = (sd * sd) / (sigma * sigma + sd * sd);
    for (let j = 0; j < x.length; j++) this.analytic[j] = c * x[j];
    return this.analytic;
  }

  /** Fills out with standard normals, sample k from its own generator. */
  noise(out: Float32Array): void {
    const n = this.sampleSize;
    this.cfg.rngs.forEach((r, k) => r.fillNormal(out, k * n, (k + 1) * n));
  }

  /** Reports a step with copies of x, the x0 prediction and d; computes d when not given. */
  report(
    i: number,
    sigma: number,
    sigmaNext: number,
    x: Float32Array,
    denoised: Float32Array,
    d?: Float32Array,
  ): void {
    const onStep = this.cfg.onStep;
    if (!onStep) return;
    let dir = d?.slice();
    if (!dir) {
      dir = new Float32Array(x.length);
      toDirection(dir, x, denoised, sigma);
    }
    onStep({ i, sigma, sigmaNext, x: x.slice(), denoised: denoised.slice(), d: dir });
  }
}

/** d = (x - denoised) / sigma, the probability-flow ODE slope dx/dsigma. */
export function toDirection(
  d: Float32Array,
  x: Float32Array,
  denoised: Float32Array,
  sigma: number,
): void {
  const inv = 1 / sigma;
  for (let j = 0; j < x.length; j++) d[j] = (x[j] - denoised[j]) * inv;
}
