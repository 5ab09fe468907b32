import { lagrangeIntegrals } from '../quadrature';
import { multistep, type MultistepWeights } from './multistep';
import { oneCallPerStep, type SolverDef } from './solverDef';

const ORDER = 4;

/**
 * Linear multistep (variable-step Adams-Bashforth in sigma), order min(4, i + 1): the slopes at
 * the last grid points are interpolated by a polynomial in sigma and the ODE integrated under it,
 * x_next = x + sum_j w_j d_(i-j) with w_j the integral from sigma to sigma_next of the Lagrange
 * basis polynomial of sigma_(i-j) (k-diffusion's linear_multistep_coeff). The weights follow the
 * actual grid, so the order holds on any smooth grid (unlike iPNDM's fixed weights); the step to
 * 0 is no special case.
 */
const linearMultistepCoeffs: MultistepWeights = (nodes, sigmaNext) =>
  lagrangeIntegrals(nodes, nodes[0], sigmaNext);

export const lms: SolverDef = {
  run: (run) => multistep(run, ORDER, linearMultistepCoeffs),
  label: 'LMS (linear multistep, order 4)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: ORDER,
  reference: 'k-diffusion sample_lms',
};
