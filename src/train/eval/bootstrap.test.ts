import { describe, expect, it } from 'vitest';
import { Rng } from '../../core';
import {
  bootstrapCounts,
  geometricMean,
  geometricMeanReplicates,
  pairedRatios,
  percentileInterval,
  stratifiedCounts,
} from './bootstrap';
import { FrechetReference, gaussianOf, weightedGaussian } from './frechet';

describe('bootstrap draws', () => {
  it('draws n rows with replacement, the same for the same (n, replicate) only', () => {
    const a = bootstrapCounts(1000, 3);
    expect(a.reduce((s, v) => s + v, 0)).toBe(1000);
    expect(bootstrapCounts(1000, 3)).toEqual(a);
    expect(bootstrapCounts(1000, 4)).not.toEqual(a);
    // About 1 - 1/e of the rows appear at least once.
    const seen = a.reduce((s, v) => s + (v > 0 ? 1 : 0), 0) / 1000;
    expect(seen).toBeGreaterThan(0.6);
    expect(seen).toBeLessThan(0.67);
  });

  it('resamples each block within itself, as the block alone, differently per block', () => {
    const c = stratifiedCounts(
      [
        { size: 300, block: 0 },
        { size: 300, block: 100_000 },
      ],
      5,
    );
    expect(c.subarray(0, 300)).toEqual(bootstrapCounts(300, 5, 0));
    expect(c.subarray(300)).toEqual(bootstrapCounts(300, 5, 100_000));
    expect(c.subarray(300).reduce((s, v) => s + v, 0)).toBe(300);
    expect(c.subarray(0, 300)).not.toEqual(c.subarray(300));
  });
});

describe('percentile interval', () => {
  it('interpolates between order statistics and ignores non-finite values', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i);
    const [lo, hi] = percentileInterval(xs, 0.9);
    expect(lo).toBeCloseTo(5, 9);
    expect(hi).toBeCloseTo(95, 9);
    expect(percentileInterval([...xs, Infinity, NaN], 0.9)).toEqual([lo, hi]);
    expect(percentileInterval([0, 10], 0.5)).toEqual([2.5, 7.5]);
    expect(() => percentileInterval([NaN])).toThrow(/no finite values/);
  });
});

describe('ratios and geometric means over replicates', () => {
  it('pairs replicate r with replicate r and averages logs per replicate', () => {
    expect(pairedRatios([2, 6], [1, 3])).toEqual([2, 2]);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/1 replicates against 2/);
    const g = geometricMeanReplicates([
      [2, 1],
      [8, 1],
    ]);
    expect(g[0]).toBeCloseTo(4, 12);
    expect(g[1]).toBeCloseTo(1, 12);
    expect(geometricMean([1, 4, 16])).toBeCloseTo(4, 12);
  });

  it('covers the true FID ratio of two Gaussian feature sets most of the time', () => {
    // Two "models" whose features are Gaussian with known distance to a large reference: the
    // percentile interval of the paired bootstrap ratio should contain the ratio of the
    // large-sample FIDs, and should exclude 1 because the two are clearly different.
    const dim = 4;
    const draw = (n: number, shift: number, seed: number) => {
      const rng = new Rng(seed);
      return Float32Array.from(
        { length: n * dim },
        (_, i) => rng.normal() + (i % dim === 0 ? shift : 0),
      );
    };
    const ref = new FrechetReference(gaussianOf(draw(20_000, 0, 1), 20_000, dim));
    const n = 1000;
    const a = draw(n, 0.6, 2);
    const b = draw(n, 1.2, 3);
    const boot = (f: Float32Array) =>
      Array.from({ length: 200 }, (_, r) =>
        ref.distance(weightedGaussian(f, n, dim, bootstrapCounts(n, r))),
      );
    const [lo, hi] = percentileInterval(pairedRatios(boot(a), boot(b)));
    const truth = 0.36 / 1.44;
    expect(lo).toBeLessThan(truth);
    expect(hi).toBeGreaterThan(truth);
    expect(hi).toBeLessThan(1);
  });
});
