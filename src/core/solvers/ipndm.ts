import { multistep, type MultistepWeights } from './multistep';
import { oneCallPerStep, type SolverDef } from './solverDef';

const ORDER = 4;

/** Adams-Bashforth weights, newest slope first, for orders 1..4. */
const AB: readonly (readonly number[])[] = [
  [1],
  [3 / 2, -1 / 2],
  [23 / 12, -16 / 12, 5 / 12],
  [55 / 24, -59 / 24, 37 / 24, -9 / 24],
];

/**
 * iPNDM: fixed-coefficient Adams-Bashforth on the history of slopes, order min(4, i + 1):
 * x <- x + (sigma_next - sigma) sum_k c_k d_(i-k), the equal-step table whatever the spacing.
 */
const ipndmCoeffs: MultistepWeights = (nodes, sigmaNext) =>
  AB[nodes.length - 1].map((c) => (sigmaNext - nodes[0]) * c);

export const ipndm: SolverDef = {
  run: (run) => multistep(run, ORDER, ipndmCoeffs),
  label: 'iPNDM (Adams-Bashforth)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: ORDER,
  reference: 'zju-pi/diff-sampler ipndm_sampler',
};
