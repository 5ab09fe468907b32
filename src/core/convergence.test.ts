import { describe, expect, it } from 'vitest';
import { initialNoise } from './rng';
import { sample } from './sample';
import { karrasSigmas } from './schedule';
import { gaussianOracle, logLogSlope } from './oracles';
import type { SolverName } from './types';

/*
 * Order of accuracy against the exact probability-flow ODE of Gaussian data. The grids end at
 * sigma_min (diff-sampler convention) and the error is taken there against the exact solution,
 * so the measurement is the solver's own discretisation error and not the final jump to 0.
 * Karras grids are a smooth map of a uniform grid, so the asymptotic order shows in N.
 * Fixed-coefficient iPNDM is 4th order only on uniform steps; on a varying grid (and with its
 * Euler start-up step) it is second order, hence ">= 2".
 */

const dim = 16;
const mu = Float32Array.from({ length: dim }, (_, i) => 0.8 * Math.sin(i + 1));
const oracle = gaussianOracle(mu, 0.5);
const xT = initialNoise([3], dim, 80);
const NS = [16, 32, 64, 128];

async function finalError(solver: SolverName, steps: number, afs = false): Promise<number> {
  const sigmas = karrasSigmas(steps, { end: 'sigmaMin' });
  const { x } = await sample({ solver, denoise: oracle.denoise, sigmas, x: xT, afs });
  const exact = oracle.solution(xT, sigmas[0], sigmas[steps]);
  return exact.reduce((m, v, j) => Math.max(m, Math.abs(x[j] - v)), 0);
}

const expected: [SolverName, number, number][] = [
  ['euler', 0.85, 1.15],
  ['heun', 1.85, 2.3],
  ['dpmpp-2m', 1.8, 2.3],
  ['ipndm', 1.85, 4.5],
];

describe('convergence on the Gaussian oracle', () => {
  it.each(expected)('%s converges at its order', async (solver, lo, hi) => {
    const errs: number[] = [];
    for (const n of NS) errs.push(await finalError(solver, n));
    const slope = -logLogSlope(NS, errs);
    console.info(
      `convergence ${solver}: slope ${slope.toFixed(2)}; max error at N=${NS.join('/')}: ${errs
        .map((e) => e.toExponential(2))
        .join(' ')}`,
    );
    expect(slope).toBeGreaterThan(lo);
    expect(slope).toBeLessThan(hi);
  });

  it.each(['euler', 'heun', 'dpmpp-2m', 'ipndm'] as SolverName[])(
    'AFS on %s keeps the oracle error small',
    async (solver) => {
      const plain = await finalError(solver, 16);
      const withAfs = await finalError(solver, 16, true);
      expect(withAfs).toBeLessThan(2 * plain + 1e-3);
    },
  );
});

describe('iPNDM Adams-Bashforth weights', () => {
  /*
   * With a slope d(sigma) that does not depend on x and equal steps, the order-k step integrates
   * polynomials of degree k-1 exactly; step i has order min(4, i+1). Any wrong weight breaks it.
   */
  it.each([
    [1, [0.3, -0.7]],
    [2, [0.3, -0.7, 0.05]],
    [3, [0.3, -0.7, 0.05, 0.004]],
  ])('step of order %i+1 is exact for that polynomial degree', async (degree, coef) => {
    const slope = (s: number) => coef.reduce((a, c, k) => a + c * s ** k, 0);
    const integral = (a: number, b: number) =>
      coef.reduce((acc, c, k) => acc + (c * (b ** (k + 1) - a ** (k + 1))) / (k + 1), 0);
    const denoise = (x: Float32Array, s: number) => x.map((v) => v - s * slope(s));
    const sigmas = Array.from({ length: 9 }, (_, i) => 9 - i);
    const states: Float32Array[] = [];
    const { x } = await sample({
      solver: 'ipndm',
      denoise,
      sigmas,
      x: new Float32Array([1]),
      onStep: (st) => states.push(st.x),
    });
    states.push(x);
    for (let i = degree; i < 8; i++) {
      const step = states[i + 1][0] - states[i][0];
      expect(step).toBeCloseTo(integral(sigmas[i], sigmas[i + 1]), 3);
    }
  });
});
