import type { Rng } from '../rng';
import type { VecOps } from '../vec';

/**
 * What a solver reports after each step, for filmstrips and curvature plots. V is whatever holds a
 * batch (Float32Array unless a run uses other VecOps); the receiver owns the vectors.
 */
export interface StepInfo<V = Float32Array> {
  /** 0-based step index. */
  i: number;
  /** The step's starting noise level (edm-sde: the raised sigma_hat, with x the noised state). */
  sigma: number;
  sigmaNext: number;
  /** The state at sigma (before the step). */
  x: V;
  /** The denoiser's x0 prediction at (x, sigma). */
  denoised: V;
  /** The ODE direction d = (x - denoised) / sigma used for this step. */
  d: V;
}

/** Resolved EDM Algorithm 2 parameters. */
export interface Churn {
  churn: number;
  sTmin: number;
  sTmax: number;
  sNoise: number;
}

/** A denoiser over the whole batch whose output belongs to the caller (see VecOps). */
export type VecDenoise<V> = (x: V, sigma: number, step: number) => V | Promise<V>;

export interface RunConfig<V> {
  ops: VecOps<V>;
  denoise: VecDenoise<V>;
  sigmas: readonly number[];
  /** The starting state, the run's own (the solver frees it when it moves on). */
  x: V;
  batch: number;
  /** sigma_data for the analytical first step, or null when AFS is off. */
  afsSigmaData: number | null;
  /** One generator per sample on its SDE stream. */
  rngs: Rng[];
  churn: Churn;
  /** Receives the step's vectors and owns them. */
  onStep?: (s: StepInfo<V>) => void;
  /** Awaited before every denoiser call (see SampleOptions.interrupt). */
  interrupt?: () => void | Promise<void>;
}

/**
 * What a solver walks: the starting x, the grid, the vector algebra, and the only doors to the
 * outside world: counted denoiser calls, per-sample noise and the step report.
 *
 * Every vector a solver holds (x, denoiser outputs, slopes, noise) is freed exactly once, through
 * the run: in the dead list of the combination after which it is dead (cpuOps then writes the
 * result into x's memory when x is among them), or with `free` when no combination follows.
 */
export class SolverRun<V> {
  readonly sigmas: readonly number[];
  private readonly ops: VecOps<V>;
  readonly x: V;
  readonly churn: Churn;
  nfe = 0;

  constructor(private readonly cfg: RunConfig<V>) {
    this.sigmas = cfg.sigmas;
    this.ops = cfg.ops;
    this.x = cfg.x;
    this.churn = cfg.churn;
  }

  get steps(): number {
    return this.sigmas.length - 1;
  }

  /** One network call D(x; sigma) during step `step`. */
  async denoise(x: V, sigma: number, step: number): Promise<V> {
    await this.cfg.interrupt?.();
    const out = await this.cfg.denoise(x, sigma, step);
    this.nfe++;
    return out;
  }

  /**
   * The first evaluation of a step at (x_i, sigma_i). With AFS on, step 0 uses the optimal
   * denoiser for N(0, sigma_data^2 I) data, x * sd^2 / (sigma^2 + sd^2), and costs no call.
   */
  async denoiseStart(x: V, sigma: number, step: number): Promise<V> {
    const sd = this.cfg.afsSigmaData;
    if (step !== 0 || sd === null) return this.denoise(x, sigma, step);
    return this.combine([[(sd * sd) / (sigma * sigma + sd * sd), x]]);
  }

  /**
   * sum_k c_k v_k over (c_k, v_k) terms, then frees `dead`: each update reads as its formula,
   * `combine([[1, x], [h, d]], [x])` being x + h d.
   */
  combine(terms: readonly (readonly [number, V])[], dead?: readonly V[]): V | Promise<V> {
    return this.ops.lincomb(
      terms.map((t) => t[0]),
      terms.map((t) => t[1]),
      dead,
    );
  }

  /** Frees what no later combination takes in its dead list (undefined is skipped). */
  free(...vs: (V | undefined)[]): void {
    vs.forEach((v) => this.ops.free(v));
  }

  /** A copy of v's value that stays valid after v is freed (a denoiser output kept for later). */
  keep(v: V): V | Promise<V> {
    return this.ops.keep(v);
  }

  /** d = (x - denoised) / sigma, the probability-flow ODE slope dx/dsigma; frees `drop`. */
  direction(x: V, denoised: V, sigma: number, drop?: V): V | Promise<V> {
    return this.combine(
      [
        [1 / sigma, x],
        [-1 / sigma, denoised],
      ],
      drop && [drop],
    );
  }

  /** Standard normals, sample k from its own generator. */
  noise(): V {
    const n = this.ops.length / this.cfg.batch;
    return this.ops.fromCpu((out) =>
      this.cfg.rngs.forEach((r, k) => r.fillNormal(out, k * n, (k + 1) * n)),
    );
  }

  /** Reports a step with kept copies of x, the x0 prediction and d (computed when not given). */
  async report(
    i: number,
    sigma: number,
    sigmaNext: number,
    x: V,
    denoised: V,
    d?: V,
  ): Promise<void> {
    const onStep = this.cfg.onStep;
    if (!onStep) return;
    const [xs, den, dir] = await Promise.all([
      this.keep(x),
      this.keep(denoised),
      d ? this.keep(d) : this.direction(x, denoised, sigma),
    ]);
    onStep({ i, sigma, sigmaNext, x: xs, denoised: den, d: dir });
  }
}
