import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { Rng } from '../../core';
import { frechetDistance, FrechetReference, gaussianOf, weightedGaussian } from './frechet';

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

  it('weights rows by their counts exactly as if the repeated rows were there', () => {
    const n = 50;
    const dim = 3;
    const f = normals(n, dim, [0, 1, 2], [1, 2, 0.5], 5);
    const counts = Array.from({ length: n }, (_, i) => (i * 7) % 4);
    const repeated: number[] = [];
    counts.forEach((c, i) => {
      for (let k = 0; k < c; k++) repeated.push(...f.subarray(i * dim, (i + 1) * dim));
    });
    const want = gaussianOf(Float32Array.from(repeated), repeated.length / dim, dim);
    const got = weightedGaussian(f, n, dim, counts);
    for (let j = 0; j < dim; j++) expect(got.mean[j]).toBeCloseTo(want.mean[j]!, 6);
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++) expect(got.cov.get(a, b)).toBeCloseTo(want.cov.get(a, b), 5);
    expect(() => weightedGaussian(f, n, dim, [1])).toThrow(/1 counts for 50/);
  });

  it('gives the same distance to a fixed reference as the two-sided formula', () => {
    const n = 400;
    const dim = 6;
    const ref = gaussianOf(normals(n, dim, [0, 0, 0, 0, 0, 0], [1, 2, 1, 0.5, 3, 1], 6), n, dim);
    const other = gaussianOf(normals(n, dim, [1, 0, -1, 0, 2, 0], [2, 1, 1, 1, 1, 0.2], 7), n, dim);
    const fixed = new FrechetReference(ref);
    expect(fixed.distance(other)).toBeCloseTo(frechetDistance(other, ref), 6);
    expect(Math.abs(fixed.distance(ref))).toBeLessThan(1e-8);
  });

  it('gives resampled distances of a prepared set equal to those of the resampled Gaussian', () => {
    const n = 300;
    const dim = 5;
    const ref = new FrechetReference(
      gaussianOf(normals(2000, dim, [0, 0, 0, 0, 0], [1, 2, 1, 0.5, 3], 8), 2000, dim),
    );
    const f = normals(n, dim, [0.5, 0, -1, 0, 1], [1.5, 1, 1, 2, 0.5], 9);
    const prepared = ref.prepare(f, n, dim);
    expect(prepared.distance()).toBeCloseTo(ref.distance(gaussianOf(f, n, dim)), 6);
    const counts = Array.from({ length: n }, (_, i) => (i * 13) % 3);
    expect(prepared.distance(counts)).toBeCloseTo(
      ref.distance(weightedGaussian(f, n, dim, counts)),
      6,
    );
    expect(() => ref.prepare(f, n / 3, dim * 3)).toThrow(/width 15 against a reference of 5/);
  });

  it('refuses too few rows or a wrong width', () => {
    expect(() => gaussianOf(new Float32Array(3), 1, 3)).toThrow(/at least 2 feature rows/);
    expect(() => gaussianOf(new Float32Array(5), 2, 3)).toThrow(/5 values for 2 x 3/);
  });
});
