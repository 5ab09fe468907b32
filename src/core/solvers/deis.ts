import { lagrangeIntegrals } from '../quadrature';
import { vpFit } from '../schedule';
import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

const ORDER = 3;

// DEIS interpolates in the time t of the VP-SDE that EDM's (0.002, 80) range maps to, as
// diff-sampler's edm2t does; t(sigma) inverts sigma(t) = sqrt(exp(beta_d t^2 / 2 + beta_min t) - 1).
const { betaD, betaMin } = vpFit(0.002, 80);
const vpTime = (sigma: number): number =>
  (Math.sqrt(betaMin * betaMin + 2 * betaD * Math.log1p(sigma * sigma)) - betaMin) / betaD;

/**
 * DEIS tAB: exponential-integrator Adams-Bashforth on the noise prediction d = eps, with the
 * slopes interpolated by a polynomial in VP time t rather than in sigma,
 *   x_next = x + sum_j C_j d_(i-j),  C_j = integral from sigma to sigma_next of L_j(t(s)) ds,
 * L_j the Lagrange basis over t_i, ..., t_(i-order+1), order min(3, i + 1). diff-sampler writes
 * C_j as an integral over t with the weight dsigma/dt; the same integral in sigma has a smooth
 * integrand, so an 8-point Gauss rule replaces its 10,000-point Riemann sum.
 */
async function sampleDeis<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  const ds: V[] = [];
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    const d = await run.direction(x, denoised, sigma, ds.length === ORDER ? ds.pop() : undefined);
    ds.unshift(d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    ops.free(denoised);
    const c = lagrangeIntegrals(
      ds.map((_, j) => vpTime(sigmas[i - j])),
      sigma,
      sigmaNext,
      vpTime,
    );
    x = await run.combine([[1, x] as const, ...ds.map((dj, j) => [c[j], dj] as const)], [x]);
  }
  ds.forEach((d) => ops.free(d));
  return x;
}

export const deis: SolverDef = {
  run: sampleDeis,
  label: 'DEIS (tAB3)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: ORDER,
  reference: "zju-pi/diff-sampler deis_sampler (deis_mode 'tab', max_order 3)",
};
