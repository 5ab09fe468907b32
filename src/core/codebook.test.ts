import { describe, expect, it } from 'vitest';
import { AliasSampler, CodeSampler } from './alias';
import {
  entropy,
  parseWeights,
  serializeWeights,
  sparseFromDense,
  sparseWeights,
  topK,
} from './codebook';
import { Rng, sampleSeeds } from './rng';

describe('sparse sampling weights', () => {
  it('sorts heaviest first, drops zeros, and round-trips through bytes', () => {
    const w = sparseFromDense([0, 3, 0, 1, 3, 0.5]);
    expect([...w.indices]).toEqual([1, 4, 3, 5]);
    expect([...w.weights]).toEqual([3, 3, 1, 0.5]);
    const buf = serializeWeights(w);
    expect(buf.byteLength).toBe(32);
    // Little-endian layout: u32 index then f32 weight.
    const view = new DataView(buf);
    expect(view.getUint32(8, true)).toBe(4);
    expect(view.getFloat32(12, true)).toBe(3);
    const back = parseWeights(buf, 7);
    expect(back.indices).toEqual(w.indices);
    expect(back.weights).toEqual(w.weights);
  });

  it('rejects malformed files with a reason', () => {
    expect(() => parseWeights(new ArrayBuffer(12))).toThrow(/not a whole number of 8-byte/);
    expect(() => parseWeights(new ArrayBuffer(0))).toThrow(/no entries/);
    const unsorted = new DataView(new ArrayBuffer(16));
    unsorted.setUint32(0, 1, true);
    unsorted.setFloat32(4, 1, true);
    unsorted.setUint32(8, 2, true);
    unsorted.setFloat32(12, 2, true);
    expect(() => parseWeights(unsorted.buffer)).toThrow(/entry 1 is heavier than entry 0/);
    const w = sparseWeights([
      [9, 2],
      [3, 1],
    ]);
    expect(() => parseWeights(serializeWeights(w), 7)).toThrow(/index 9 exceeds the codebook/);
    expect(() =>
      sparseWeights([
        [1, 1],
        [1, 2],
      ]),
    ).toThrow(/appears twice/);
    expect(() => sparseWeights([[1, -1]])).toThrow(/not a finite number >= 0/);
  });

  it('top-k returns the heaviest codes with probabilities', () => {
    const w = sparseWeights([
      [7, 1],
      [2, 5],
      [4, 4],
    ]);
    expect(topK(w, 2)).toEqual([
      { index: 2, p: 0.5 },
      { index: 4, p: 0.4 },
    ]);
    expect(topK(w, 10)).toHaveLength(3);
  });
});

describe('entropy', () => {
  it('is log(n) for uniform weights and 0 for a point mass', () => {
    const u = entropy([2, 2, 2, 2]);
    expect(u.nats).toBeCloseTo(Math.log(4), 12);
    expect(u.bits).toBeCloseTo(2, 12);
    expect(u.perplexity).toBeCloseTo(4, 10);
    expect(entropy([0, 5, 0]).nats).toBe(0);
    const h = entropy([1, 3]);
    expect(h.nats).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 12);
    expect(() => entropy([0, 0])).toThrow(/sum to 0/);
  });
});

describe('alias sampler', () => {
  it('frequencies match the weights (chi-square)', () => {
    const weights = [5, 0, 1, 2.5, 0.5, 10, 3, 0.25];
    const total = weights.reduce((a, b) => a + b, 0);
    const a = new AliasSampler(weights);
    const r = new Rng(99);
    const n = 100_000;
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < n; i++) counts[a.sample(r)]++;
    expect(counts[1]).toBe(0);
    let chi2 = 0;
    weights.forEach((w, i) => {
      if (w > 0) chi2 += (counts[i] - (n * w) / total) ** 2 / ((n * w) / total);
    });
    // 6 degrees of freedom: 99.9% quantile 22.46.
    expect(chi2).toBeLessThan(22.46);
  });

  it('handles a single weight and rejects empty or zero weights', () => {
    expect(new AliasSampler([3]).sample(new Rng(1))).toBe(0);
    expect(() => new AliasSampler([])).toThrow(/at least one weight/);
    expect(() => new AliasSampler([0, 0])).toThrow(/sum to 0/);
  });

  it('code draws are per-sample reproducible', () => {
    const cs = new CodeSampler(sparseFromDense([1, 2, 3, 4, 5, 6, 7, 8]));
    const batch = cs.drawBatch(sampleSeeds(6, 20));
    expect(batch).toEqual([20, 21, 22, 23, 24, 25].map((s) => cs.draw(s)));
    for (const c of batch) expect(c).toBeLessThan(8);
  });
});
