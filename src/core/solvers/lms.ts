import { lagrangeIntegrals } from '../quadrature';
import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

const ORDER = 4;

/**
 * Linear multistep (variable-step Adams-Bashforth in sigma), order min(4, i + 1): the slopes at
 * the last grid points are interpolated by a polynomial in sigma and the ODE integrated under it,
 * x_next = x + sum_j w_j d_(i-j) with w_j the integral from sigma to sigma_next of the Lagrange
 * basis polynomial of sigma_(i-j). The weights follow the actual grid, so the order holds on any
 * smooth grid (unlike iPNDM's fixed weights); the step to 0 is no special case.
 */
async function sampleLms<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  // The last slopes, newest first.
  const ds: V[] = [];
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    const d = await run.direction(x, denoised, sigma, ds.length === ORDER ? ds.pop() : undefined);
    ds.unshift(d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    ops.free(denoised);
    const w = lagrangeIntegrals(
      ds.map((_, j) => sigmas[i - j]),
      sigma,
      sigmaNext,
    );
    x = await run.combine([[1, x] as const, ...ds.map((dj, j) => [w[j], dj] as const)], [x]);
  }
  ds.forEach((d) => ops.free(d));
  return x;
}

export const lms: SolverDef = {
  run: sampleLms,
  label: 'LMS (linear multistep, order 4)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: ORDER,
  reference: 'k-diffusion sample_lms',
};
