import { multistep } from './multistep';
import { oneCallPerStep, type SolverDef } from './solverDef';

const MAX_ORDER = 4;

/**
 * The variable-step Adams-Bashforth weights in Newton form: with u_m = sigma_(i-m) - sigma_i and
 * h = sigma_next - sigma_i, the interpolant of the slopes is
 *   p(s) = sum_k f[i, ..., i-k] prod_(m<k) (s - u_m),
 * f the divided differences over the nodes, and the step integrates it over s in [0, h] in closed
 * form. Returns w with x_next = x + sum_m w_m d_(i-m); on equal steps w / h is iPNDM's table.
 */
function adamsBashforthWeights(nodes: readonly number[], sigmaNext: number): number[] {
  const q = nodes.length;
  const h = sigmaNext - nodes[0];
  const u = nodes.map((s) => s - nodes[0]);
  // table[m] holds f[i-m, ..., i-m-k] at level k as weights over the slopes d_(i-m).
  let table: number[][] = nodes.map((_, m) => nodes.map((__, n) => (n === m ? 1 : 0)));
  const w = new Array<number>(q).fill(0);
  let poly = [1];
  for (let k = 0; k < q; k++) {
    if (k > 0) {
      table = table
        .slice(0, q - k)
        .map((row, m) => row.map((v, n) => (v - table[m + 1][n]) / (nodes[m] - nodes[m + k])));
      // poly <- poly * (s - u_(k-1)), coefficients by ascending power of s.
      const next = new Array<number>(poly.length + 1).fill(0);
      poly.forEach((c, p) => {
        next[p + 1] += c;
        next[p] -= c * u[k - 1];
      });
      poly = next;
    }
    const integral = poly.reduce((acc, c, p) => acc + (c * h ** (p + 1)) / (p + 1), 0);
    table[0].forEach((v, n) => (w[n] += integral * v));
  }
  return w;
}

/**
 * Variable-step iPNDM: Adams-Bashforth on the slope history, order min(4, i + 1), with weights
 * for the grid's actual spacing instead of iPNDM's equal-step table. diff-sampler's ipndm_v
 * writes these weights as closed forms in the step ratios; they match iPNDM on equal steps up to
 * order 3, but as printed its order-3 weights integrate a quadratic exactly only on equal steps
 * and its order-4 weights neither give iPNDM's 55, -59, 37, -9 on equal steps nor sum to 1 on
 * unequal ones. This takes the exact weights those forms stand for (the method is then
 * mathematically the LMS solver, reached here by divided differences instead of a quadrature of
 * the Lagrange basis; a test holds the two to each other).
 */
export const ipndmV: SolverDef = {
  run: (run) => multistep(run, MAX_ORDER, adamsBashforthWeights),
  label: 'iPNDM-v (variable-step Adams-Bashforth)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: MAX_ORDER,
  reference: 'zju-pi/diff-sampler ipndm_v_sampler (exact variable-step weights, see the comment)',
};
