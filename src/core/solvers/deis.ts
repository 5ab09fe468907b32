import { lagrangeIntegrals } from '../quadrature';
import { vpFit } from '../schedule';
import { multistep, type MultistepWeights } from './multistep';
import { oneCallPerStep, type SolverDef } from './solverDef';

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
const deisCoeffs: MultistepWeights = (nodes, sigmaNext) =>
  lagrangeIntegrals(nodes.map(vpTime), nodes[0], sigmaNext, vpTime);

export const deis: SolverDef = {
  run: (run) => multistep(run, ORDER, deisCoeffs),
  label: 'DEIS (tAB3)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: ORDER,
  reference: "zju-pi/diff-sampler deis_sampler (deis_mode 'tab', max_order 3)",
};
