import type { SolverName } from './solvers';
import type { StepInfo } from './solvers/solverRun';

export type { SolverName, StepInfo };

/**
 * A denoiser over a whole batch: x is the batch flattened (B*C*H*W values), sigma is shared by the
 * batch. Returns the denoised estimate D(x; sigma) with the same length.
 */
export type Denoise = (x: Float32Array, sigma: number) => Float32Array | Promise<Float32Array>;

/** EDM Algorithm 2 noise injection (only used by 'edm-sde'); defaults follow NVlabs/edm. */
export interface ChurnOptions {
  /** S_churn: total churn, gamma = min(S_churn / N, sqrt(2) - 1). Default 0 (then edm-sde = heun). */
  churn?: number;
  /** S_tmin: churn only where sigma >= sTmin. Default 0. */
  sTmin?: number;
  /** S_tmax: churn only where sigma <= sTmax. Default Infinity. */
  sTmax?: number;
  /** S_noise: scale of the injected noise. Default 1. */
  sNoise?: number;
}

export interface SampleOptions extends ChurnOptions {
  solver: SolverName;
  denoise: Denoise;
  /** Strictly decreasing noise levels; the last may be 0 (see schedule.ts for both conventions). */
  sigmas: number[];
  /** The starting state at sigmas[0] for the whole batch, flattened. Not modified. */
  x: Float32Array;
  /** Analytical first step (deterministic solvers only): saves one denoiser call. */
  afs?: boolean;
  /** sigma_data of the Gaussian that AFS assumes. Default 0.5. */
  sigmaData?: number;
  /** Number of samples in x. Default 1. */
  batch?: number;
  /** Base seed of the stochastic solvers: sample k uses seed + k. Default 0. */
  seed?: number;
  /** Per-sample seeds (length = batch); overrides seed. */
  seeds?: number[];
  /** Called after each step's first denoiser evaluation, with copies of the buffers. */
  onStep?: (s: StepInfo) => void;
  /**
   * Awaited before every denoiser call. A caller that must stay responsive (a worker that takes
   * cancels and newer requests) yields to its event loop here; a throw stops the run.
   */
  interrupt?: () => void | Promise<void>;
}

export interface SampleResult {
  x: Float32Array;
  /** Denoiser calls made (AFS steps are not calls). */
  nfe: number;
}
