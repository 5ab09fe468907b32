import { describe, expect, it } from 'vitest';
import { degrade } from './degrade';

const batch = (images: Float32Array, n: number) => ({
  images,
  n,
  channels: 1,
  height: 8,
  width: 8,
});
const mean = (x: Float32Array) => x.reduce((a, v) => a + v, 0) / x.length;

describe('degrade', () => {
  it('leaves a flat image flat under blur and keeps its values', () => {
    const out = degrade(batch(new Float32Array(128).fill(0.25), 2), { kind: 'blur', sigma: 1 }, 0);
    for (const v of out) expect(v).toBeCloseTo(0.25, 6);
  });

  it('spreads an edge over more pixels as sigma grows, plane by plane', () => {
    // Image 0: left half -1, right half +1; image 1: all -1 (must not pick up image 0's edge).
    const x = new Float32Array(128).fill(-1);
    for (let y = 0; y < 8; y++) for (let c = 4; c < 8; c++) x[y * 8 + c] = 1;
    const soft = degrade(batch(x, 2), { kind: 'blur', sigma: 0.5 }, 0);
    const wide = degrade(batch(x, 2), { kind: 'blur', sigma: 1.5 }, 0);
    const mid = (o: Float32Array) => o.subarray(0, 64).filter((v) => Math.abs(v) < 0.95).length;
    expect(mid(soft)).toBeGreaterThan(0);
    expect(mid(wide)).toBeGreaterThan(mid(soft));
    expect(Math.max(...wide.subarray(64))).toBeCloseTo(-1, 6);
  });

  it('adds seeded noise of the asked level, clamped to [-1, 1]', () => {
    const x = new Float32Array(64 * 100);
    const a = degrade(batch(x, 100), { kind: 'noise', std: 0.2 }, 7);
    expect(degrade(batch(x, 100), { kind: 'noise', std: 0.2 }, 7)).toEqual(a);
    expect(degrade(batch(x, 100), { kind: 'noise', std: 0.2 }, 8)).not.toEqual(a);
    expect(Math.sqrt(mean(a.map((v) => v * v)))).toBeCloseTo(0.2, 2);
    const loud = degrade(
      batch(new Float32Array(6400).fill(0.9), 100),
      { kind: 'noise', std: 1 },
      1,
    );
    expect(Math.max(...loud)).toBe(1);
    expect(Math.min(...loud)).toBeGreaterThanOrEqual(-1);
  });

  it('refuses a batch whose shape does not match its values', () => {
    expect(() => degrade(batch(new Float32Array(10), 2), { kind: 'blur', sigma: 1 }, 0)).toThrow(
      /10 values for 2 x 1 x 8 x 8/,
    );
  });
});
