import type { SolverRun } from './solverRun';

/**
 * The weights of one multistep update, x_next = x + sum_j w_j d_(i-j): `nodes` are the noise
 * levels of the kept slopes, sigma_i, sigma_(i-1), ... (newest first, one per slope).
 */
export type MultistepWeights = (nodes: readonly number[], sigmaNext: number) => readonly number[];

/**
 * The loop the Adams-Bashforth-type solvers share (lms, deis, ipndm, ipndm-v): one call per step
 * gives the slope d_i = (x_i - D_i) / sigma_i, the newest `order` slopes are kept, and
 * x_(i+1) = x_i + sum_j w_j d_(i-j) with the solver's weights, so the order ramps up as
 * min(order, i + 1). The solvers differ only in `weights`.
 */
export async function multistep<V>(
  run: SolverRun<V>,
  order: number,
  weights: MultistepWeights,
): Promise<V> {
  const { sigmas } = run;
  let x = run.x;
  // The last slopes, newest first; the oldest drops out once `order` are kept.
  const ds: V[] = [];
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    const d = await run.direction(x, denoised, sigma, ds.length === order ? ds.pop() : undefined);
    ds.unshift(d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    run.free(denoised);
    const w = weights(
      ds.map((_, j) => sigmas[i - j]),
      sigmaNext,
    );
    x = await run.combine([[1, x] as const, ...ds.map((dj, j) => [w[j], dj] as const)], [x]);
  }
  run.free(...ds);
  return x;
}
