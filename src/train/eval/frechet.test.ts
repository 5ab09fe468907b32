import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { Rng } from '../../core';
import { frechetDistance, gaussianOf } from './frechet';

function normals(
  n: number,
  dim: number,
  mean: number[],
  std: number[],
  seed: number,
): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) out[i * dim + j] = mean[j]! + std[j]! * rng.normal();
  return out;
}

describe('Frechet distance', () => {
  it('matches the closed form for diagonal Gaussians: |m1 - m2|^2 + sum (s1 - s2)^2', () => {
    const a = { mean: Float64Array.of(0, 1, -1), cov: Matrix.diag([1, 4, 0.25]) };
    const b = { mean: Float64Array.of(1, 1, 0), cov: Matrix.diag([4, 1, 0.25]) };
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 0 + 1 + 1 + 1 + 0, 9);
  });

  it('leaves only the mean term for equal rotated covariances', () => {
    const c = Math.cos(0.6);
    const s = Math.sin(0.6);
    const r = new Matrix([
      [c, -s],
      [s, c],
    ]);
    const cov = r.mmul(Matrix.diag([3, 0.2])).mmul(r.transpose());
    const a = { mean: Float64Array.of(0, 0), cov };
    const b = { mean: Float64Array.of(0.5, -1), cov };
    expect(frechetDistance(a, b)).toBeCloseTo(1.25, 9);
  });

  it('estimates the Gaussian of sampled features', () => {
    const n = 20_000;
    const g = gaussianOf(normals(n, 2, [1, -2], [2, 0.5], 1), n, 2);
    expect(g.mean[0]).toBeCloseTo(1, 1);
    expect(g.mean[1]).toBeCloseTo(-2, 1);
    expect(g.cov.get(0, 0)).toBeCloseTo(4, 0);
    expect(g.cov.get(1, 1)).toBeCloseTo(0.25, 1);
    expect(Math.abs(g.cov.get(0, 1))).toBeLessThan(0.05);
  });

  it('is zero for a set against itself and symmetric for correlated features', () => {
    const n = 2000;
    const raw = normals(n, 2, [0, 0], [1, 1], 3);
    const mixed = raw.map((v, i) => (i % 2 === 1 ? v + 0.8 * raw[i - 1]! : v));
    const a = gaussianOf(mixed, n, 2);
    const b = gaussianOf(normals(n, 2, [0.5, 0], [1, 3], 4), n, 2);
    expect(Math.abs(frechetDistance(a, a))).toBeLessThan(1e-9);
    expect(frechetDistance(a, b)).toBeCloseTo(frechetDistance(b, a), 8);
  });

  it('refuses too few rows or a wrong width', () => {
    expect(() => gaussianOf(new Float32Array(3), 1, 3)).toThrow(/at least 2 feature rows/);
    expect(() => gaussianOf(new Float32Array(5), 2, 3)).toThrow(/5 values for 2 x 3/);
  });
});
