import { describe, expect, it } from 'vitest';
import { trajectoryCurvature, type TrajectoryStep } from './curvature';
import { initialNoise } from './rng';
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
