import { describe, expect, it } from 'vitest';
import { detLog } from './detlog';
import { Rng, Stream, initialNoise, sampleSeeds } from './rng';

/** Standard normal CDF via the Abramowitz-Stegun 7.1.26 erf (abs error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('detLog', () => {
  it('matches Math.log to a few ulp across (0, 1]', () => {
    const r = new Rng(1);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = i < 10 ? 2 ** -(i * 10) : r.uniform() || 1;
      const ref = Math.log(x);
      const err = Math.abs(detLog(x) - ref) / Math.max(Math.abs(ref), 1e-300);
      worst = Math.max(worst, x === 1 ? Math.abs(detLog(x)) : err);
    }
    expect(worst).toBeLessThan(1e-15);
  });
  it('rejects arguments outside (0, 1]', () => {
    expect(() => detLog(0)).toThrow(/0 < x <= 1/);
    expect(() => detLog(1.5)).toThrow(/0 < x <= 1/);
  });
});

describe('Rng', () => {
  it('is reproducible per (seed, stream) and differs across them', () => {
    const a = Array.from(
      { length: 8 },
      (
        (g) => () =>
          g.nextU32()
      )(new Rng(42)),
    );
    const b = Array.from(
      { length: 8 },
      (
        (g) => () =>
          g.nextU32()
      )(new Rng(42)),
    );
    const c = Array.from(
      { length: 8 },
      (
        (g) => () =>
          g.nextU32()
      )(new Rng(42, Stream.sde)),
    );
    const d = Array.from(
      { length: 8 },
      (
        (g) => () =>
          g.nextU32()
      )(new Rng(43)),
    );
    const e = Array.from(
      { length: 8 },
      (
        (g) => () =>
          g.nextU32()
      )(new Rng(42 + 2 ** 32)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
    expect(a).not.toEqual(e);
  });

  it('uniforms pass a chi-square test over 64 bins', () => {
    const r = new Rng(7);
    const n = 64000;
    const bins = new Array<number>(64).fill(0);
    for (let i = 0; i < n; i++) bins[Math.floor(r.uniform() * 64)]++;
    const expected = n / 64;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // 63 degrees of freedom: the 99.9% quantile is about 103.4.
    expect(chi2).toBeLessThan(103.4);
  });

  it('normals have the right moments and pass Kolmogorov-Smirnov', () => {
    const r = new Rng(2024, Stream.sde);
    const n = 20000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = r.normal();
    const mean = xs.reduce((s, v) => s + v, 0) / n;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    xs.sort();
    let ks = 0;
    xs.forEach((v, i) => {
      const c = normalCdf(v);
      ks = Math.max(ks, Math.abs(c - i / n), Math.abs(c - (i + 1) / n));
    });
    // 99.9% critical value 1.95/sqrt(n).
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Rng(1.5)).toThrow(/seed must be a safe integer/);
    expect(() => new Rng(2 ** 60)).toThrow(/seed/);
  });
});

describe('per-sample seeds', () => {
  it('sample k of a batch equals the batch-1 run with seed + k', () => {
    const size = 37;
    const batch = initialNoise(sampleSeeds(5, 100), size, 80);
    for (let k = 0; k < 5; k++) {
      const single = initialNoise(sampleSeeds(1, 100 + k), size, 80);
      expect(batch.subarray(k * size, (k + 1) * size)).toEqual(single);
    }
    expect(batch.subarray(0, size)).not.toEqual(batch.subarray(size, 2 * size));
  });

  it('explicit seeds must match the batch size', () => {
    expect(sampleSeeds(2, 0, [9, 4])).toEqual([9, 4]);
    expect(() => sampleSeeds(3, 0, [1, 2])).toThrow(/seeds has 2 entries but the batch has 3/);
    expect(() => sampleSeeds(0)).toThrow(/batch must be a positive integer/);
  });
});

describe('fillNormal', () => {
  it('continues the same sequence as normal(), across odd-length calls', () => {
    const a = new Rng(8);
    const expected = Float32Array.from({ length: 11 }, () => a.normal());
    const b = new Rng(8);
    const got = new Float32Array(11);
    b.fillNormal(got, 0, 3);
    b.fillNormal(got, 3, 4);
    b.fillNormal(got, 4, 11);
    expect(got).toEqual(expected);
  });
});
