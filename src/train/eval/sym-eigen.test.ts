import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core';
import { symmetricEigenvalues } from './sym-eigen';

const sorted = (xs: ArrayLike<number>) => Array.from(xs).sort((a, b) => a - b);

describe('symmetricEigenvalues', () => {
  it('matches ml-matrix on random symmetric and PSD matrices', () => {
    const rng = new Rng(9);
    for (const n of [1, 2, 5, 40]) {
      const a = Matrix.from1DArray(
        n,
        n,
        Array.from({ length: n * n }, () => rng.normal()),
      );
      for (const m of [a.add(a.transpose()), a.mmul(a.transpose())]) {
        const want = sorted(
          new EigenvalueDecomposition(m, { assumeSymmetric: true }).realEigenvalues,
        );
        const got = sorted(symmetricEigenvalues(m.to1DArray(), n));
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 8));
      }
    }
  });

  it('handles a diagonal matrix, a rank-one matrix and rows of zeros', () => {
    expect(sorted(symmetricEigenvalues([3, 0, 0, 0, -1, 0, 0, 0, 2], 3))).toEqual([-1, 2, 3]);
    const u = [1, 2, 0, 2];
    const outer = u.flatMap((x) => u.map((y) => x * y));
    const got = sorted(symmetricEigenvalues(outer, 4));
    expect(got[3]).toBeCloseTo(9, 10);
    for (const v of got.slice(0, 3)) expect(Math.abs(v)).toBeLessThan(1e-10);
    expect(() => symmetricEigenvalues([1, 2, 3], 2)).toThrow(/3 values for 2 x 2/);
  });
});
