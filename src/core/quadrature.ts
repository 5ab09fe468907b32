/**
 * Fixed-order Gauss-Legendre quadrature and the integrals of Lagrange basis polynomials that
 * multistep solvers (LMS, DEIS) weight their slope history with.
 */

/** Points of the rule: exact for polynomials up to degree 2 * POINTS - 1 = 15. */
const POINTS = 8;

/** Nodes and weights on [-1, 1]: Newton's method on P_n from the Chebyshev-like first guess. */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_n(x) and P_(n-1)(x) by the three-term recurrence.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(POINTS);

/** The integral of f over [a, b] (a > b allowed: the sign follows). */
export function integrate(f: (s: number) => number, a: number, b: number): number {
  const mid = (a + b) / 2;
  const half = (b - a) / 2;
  let sum = 0;
  for (let k = 0; k < POINTS; k++) sum += RULE.weights[k] * f(mid + half * RULE.nodes[k]);
  return half * sum;
}

/**
 * w_j = integral over s from a to b of L_j(tau(s)), L_j the Lagrange basis polynomial that is 1
 * at nodes[j] and 0 at the other nodes (given in tau). A multistep step x + sum_j w_j d_j then
 * integrates the interpolant of the slopes d_j exactly when tau is the identity (up to degree 15);
 * with another time variable tau (DEIS) the integrand is smooth and the rule is accurate to
 * rounding on the grids the solvers walk.
 */
export function lagrangeIntegrals(
  nodes: readonly number[],
  a: number,
  b: number,
  tau: (s: number) => number = (s) => s,
): number[] {
  return nodes.map((tj, j) =>
    integrate(
      (s) => {
        const t = tau(s);
        let l = 1;
        nodes.forEach((tk, k) => {
          if (k !== j) l *= (t - tk) / (tj - tk);
        });
        return l;
      },
      a,
      b,
    ),
  );
}
