import { describe, expect, it } from 'vitest';
import { projectTrajectory, trajectoryCurvature, type TrajectoryStep } from './curvature';
import { initialNoise, Rng } from './rng';
import { sample } from './sample';
import { karrasSigmas } from './schedule';
import { gaussianOracle } from './oracles';
import type { StepInfo } from './types';

describe('trajectory curvature', () => {
  it('is 0 for a straight trajectory at constant speed', () => {
    const xStart = new Float32Array([4, -2, 1, 8, 0, 3]);
    const xEnd = new Float32Array([0, 1, 1, 2, 2, 2]);
    const sigmas = [10, 6, 2.5, 1, 0];
    const d = xStart.map((v, j) => (v - xEnd[j]) / 10);
    const steps = sigmas.slice(0, -1).map((s, i) => ({ sigma: s, sigmaNext: sigmas[i + 1], d }));
    const c = trajectoryCurvature(steps, xStart, xEnd, 2);
    for (let k = 0; k < 2; k++) {
      expect(c.meanRelative[k]).toBeLessThan(1e-12);
      expect(c.meanCosine[k]).toBeLessThan(1e-7);
      expect(c.relative[k]).toHaveLength(4);
    }
  });

  it('gives pi^2/8 - 1 and 1 - 2 sqrt2/pi for a quarter-circle arc', () => {
    // x(sigma) = (cos phi, sin phi), phi = (pi/2)(1 - sigma/smax): from (1,0) at smax to (0,1) at 0.
    // Then u = (1,-1)/smax, d = (pi/(2 smax))(sin phi, -cos phi), and over phi uniform
    // E||d-u||^2/||u||^2 = pi^2/8 - 1, E[1 - cos] = 1 - 2 sqrt(2)/pi.
    const smax = 5;
    const n = 4000;
    const steps: TrajectoryStep[] = [];
    for (let i = 0; i < n; i++) {
      // Evaluate at mid-step so the Riemann sum is second-order accurate.
      const sigma = smax * (1 - i / n);
      const mid = smax * (1 - (i + 0.5) / n);
      const phi = (Math.PI / 2) * (1 - mid / smax);
      const k = Math.PI / (2 * smax);
      steps.push({
        sigma,
        sigmaNext: smax * (1 - (i + 1) / n),
        d: new Float32Array([k * Math.sin(phi), -k * Math.cos(phi)]),
      });
    }
    const c = trajectoryCurvature(steps, new Float32Array([1, 0]), new Float32Array([0, 1]));
    expect(c.meanRelative[0]).toBeCloseTo(Math.PI ** 2 / 8 - 1, 5);
    expect(c.meanCosine[0]).toBeCloseTo(1 - (2 * Math.SQRT2) / Math.PI, 5);
  });

  it('sees the Gaussian oracle path as a straight line (1 - cos = 0) with varying speed', async () => {
    const oracle = gaussianOracle(new Float32Array([0.5, -0.3, 0.1]), 0.5);
    const xT = initialNoise([1], 3, 80);
    const reports: StepInfo[] = [];
    const { x } = await sample({
      solver: 'heun',
      denoise: oracle.denoise,
      sigmas: karrasSigmas(40),
      x: xT,
      onStep: (s) => reports.push(s),
    });
    const c = trajectoryCurvature(reports, xT, x);
    for (const v of c.cosine[0]) expect(v).toBeLessThan(1e-6);
    // Speed: along the exact path d/u = sigma sigma_T / (sqrt(s^2+sigma^2) (sqrt(s^2+sigma_T^2) - s)).
    const ratio = (sg: number) =>
      (sg * 80) / (Math.sqrt(0.25 + sg * sg) * (Math.sqrt(0.25 + 6400) - 0.5));
    reports.forEach((r, i) => expect(c.relative[0][i]).toBeCloseTo((1 - ratio(r.sigma)) ** 2, 2));
  });

  it('rejects mismatched inputs', () => {
    const s = [{ sigma: 1, sigmaNext: 0, d: new Float32Array(2) }];
    expect(() => trajectoryCurvature(s, new Float32Array(2), new Float32Array(3))).toThrow(/x end/);
    expect(() => trajectoryCurvature(s, new Float32Array(2), new Float32Array(2))).toThrow(
      /chord is 0/,
    );
    expect(() => trajectoryCurvature([], new Float32Array(2), new Float32Array(2))).toThrow(
      /at least one step/,
    );
  });
});

describe('trajectory projection', () => {
  // Three orthonormal directions in a random orientation of R^n: the plane is span(e1, e2).
  function basis(n: number, seed: number): Float64Array[] {
    const rng = new Rng(seed);
    const out: Float64Array[] = [];
    while (out.length < 3) {
      const v = Float64Array.from({ length: n }, () => rng.normal());
      for (const e of out) {
        const p = v.reduce((s, x, i) => s + x * e[i], 0);
        v.forEach((_, i) => (v[i] -= p * e[i]));
      }
      const len = Math.hypot(...v);
      out.push(v.map((x) => x / len));
    }
    return out;
  }
  const at = (e: Float64Array[], c: number[]) =>
    Float32Array.from(e[0], (_, i) => c.reduce((s, ck, k) => s + ck * e[k][i], 0));

  it('recovers known in-plane coordinates and drops the off-plane part', () => {
    const e = basis(64, 7);
    // x_T = (2, 3) in (chord, normal) coordinates, so its part orthogonal to the chord is +3 e2;
    // x_0 = x_T + 5 e1.
    const xT = at(e, [2, 3, 0]);
    const x0 = at(e, [7, 3, 0]);
    const known = [
      [0, 0, 0],
      [1, 1.5, 4],
      [2.5, -0.75, -2],
      [4, 0.5, 1],
      [5, 0, 0],
    ];
    const points = known.map(([a, b, off]) => at(e, [2 + a, 3 + b, off]));
    const plane = projectTrajectory(points, xT, x0);
    plane.forEach((p, i) => {
      expect(p.a).toBeCloseTo(known[i][0], 5);
      expect(p.b).toBeCloseTo(known[i][1], 5);
    });
  });

  it('puts the origin on the negative b side', () => {
    const e = basis(16, 3);
    const [origin] = projectTrajectory([new Float32Array(16)], at(e, [1, 2, 0]), at(e, [4, 2, 0]));
    expect(origin.a).toBeCloseTo(-1, 5);
    expect(origin.b).toBeCloseTo(-2, 5);
  });

  it('rejects a zero chord and mismatched lengths', () => {
    const x = new Float32Array([1, 2]);
    expect(() => projectTrajectory([x], x, x)).toThrow(/chord is 0/);
    expect(() => projectTrajectory([x], x, new Float32Array(3))).toThrow(/x end has 3/);
    expect(() => projectTrajectory([new Float32Array(1)], x, new Float32Array(2))).toThrow(
      /point 0 has 1/,
    );
  });
});
