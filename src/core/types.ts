/** The six solvers the playground offers (SPEC section 5). */
export type SolverName = 'euler' | 'heun' | 'edm-sde' | 'euler-ancestral' | 'dpmpp-2m' | 'ipndm';

/**
 * A denoiser over a whole batch: x is the batch flattened (B*C*H*W values), sigma is shared by the
 * batch. Returns the denoised estimate D(x; sigma) with the same length.
 */
export type Denoise = (x: Float32Array, sigma: number) => Float32Array | Promise<Float32Array>;

/** What a solver reports after each step, for filmstrips and curvature plots. */
export interface StepInfo {
  /** 0-based step index. */
  i: number;
  sigma: number;
  sigmaNext: number;
  /** The state at sigma (before the step). */
  x: Float32Array;
  /** The denoiser's x0 prediction at (x, sigma). */
  denoised: Float32Array;
  /** The ODE direction d = (x - denoised) / sigma used for this step. */
  d: Float32Array;
}
