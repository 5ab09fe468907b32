import { describe, expect, it } from 'vitest';
import { integrate, lagrangeIntegrals } from './quadrature';

describe('Gauss-Legendre rule', () => {
  it('is exact up to degree 15 and not beyond', () => {
    const [a, b] = [0.3, 2.1];
    for (let n = 0; n <= 15; n++) {
      const exact = (b ** (n + 1) - a ** (n + 1)) / (n + 1);
      expect(Math.abs(integrate((s) => s ** n, a, b) - exact)).toBeLessThan(1e-13 * exact);
    }
    const exact16 = (b ** 17 - a ** 17) / 17;
    expect(Math.abs(integrate((s) => s ** 16, a, b) - exact16)).toBeGreaterThan(1e-11 * exact16);
  });

  it('follows the orientation of the interval', () => {
    expect(integrate(Math.exp, 1, 0)).toBeCloseTo(-(Math.E - 1), 14);
  });
});

describe('Lagrange basis integrals', () => {
  const nodes = [1.7, 1.2, 0.95, 0.6];
  it('integrate the interpolant of any cubic through the nodes exactly', () => {
    const f = (u: number) => 0.4 - 2 * u + 0.7 * u * u - 0.3 * u ** 3;
    const w = lagrangeIntegrals(nodes, 0.6, 0.25);
    const approx = w.reduce((acc, wj, j) => acc + wj * f(nodes[j]), 0);
    const F = (u: number) => 0.4 * u - u * u + (0.7 / 3) * u ** 3 - 0.075 * u ** 4;
    expect(approx).toBeCloseTo(F(0.25) - F(0.6), 13);
  });

  it('in another time variable, interpolate in that variable', () => {
    const tau = (u: number) => Math.log(u);
    const w = lagrangeIntegrals(nodes.map(tau), 0.6, 0.25, tau);
    // A quadratic in log u is reproduced by the basis in log u.
    const g = (u: number) => 1 + 0.5 * Math.log(u) - 0.2 * Math.log(u) ** 2;
    const approx = w.reduce((acc, wj, j) => acc + wj * g(nodes[j]), 0);
    expect(approx).toBeCloseTo(integrate(g, 0.6, 0.25), 12);
    expect(w.reduce((acc, v) => acc + v, 0)).toBeCloseTo(0.25 - 0.6, 14);
  });
});
