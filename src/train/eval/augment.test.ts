import { describe, expect, it } from 'vitest';
import { Rng } from '../../core';
import { augmentBatch, MAX_SHIFT } from './augment';

const shape = { channels: 2, height: 5, width: 6 };
const plane = shape.height * shape.width;
/** Every pixel distinct, so a moved value can be traced to its source. */
const ramp = (count: number) =>
  Float32Array.from({ length: count * shape.channels * plane }, (_, i) => i);

describe('augmentBatch', () => {
  it('mirrors about half the images left-right, every channel alike, and nothing else', () => {
    const count = 400;
    const x = ramp(count);
    augmentBatch(x, count, shape, ['flip'], new Rng(3, 7));
    let mirrored = 0;
    for (let k = 0; k < count; k++) {
      const base = k * shape.channels * plane;
      const flipped = x[base] === base + shape.width - 1;
      if (flipped) mirrored++;
      for (let c = 0; c < shape.channels; c++)
        for (let y = 0; y < shape.height; y++)
          for (let xx = 0; xx < shape.width; xx++) {
            const src = flipped ? shape.width - 1 - xx : xx;
            const o = base + c * plane + y * shape.width;
            expect(x[o + xx]).toBe(o + src);
          }
    }
    expect(mirrored).toBeGreaterThan(160);
    expect(mirrored).toBeLessThan(240);
  });

  it('shifts by at most MAX_SHIFT, repeating the edge into the uncovered border', () => {
    const count = 200;
    const x = ramp(count);
    augmentBatch(x, count, shape, ['shift'], new Rng(5, 7));
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const o = k * shape.channels * plane;
      // The centre pixel's source gives the shift; every other pixel must follow it, clamped.
      const cy = 2;
      const cx = 3;
      const src = x[o + cy * shape.width + cx]! - o;
      const dy = cy - Math.floor(src / shape.width);
      const dx = cx - (src % shape.width);
      expect(Math.abs(dy)).toBeLessThanOrEqual(MAX_SHIFT);
      expect(Math.abs(dx)).toBeLessThanOrEqual(MAX_SHIFT);
      seen.add(`${dy},${dx}`);
      for (let y = 0; y < shape.height; y++)
        for (let xx = 0; xx < shape.width; xx++) {
          const sy = Math.min(shape.height - 1, Math.max(0, y - dy));
          const sx = Math.min(shape.width - 1, Math.max(0, xx - dx));
          expect(x[o + plane + y * shape.width + xx]).toBe(o + plane + sy * shape.width + sx);
        }
    }
    // 200 draws over the 25 offsets: all of them show up.
    expect(seen.size).toBe((2 * MAX_SHIFT + 1) ** 2);
  });

  it('leaves the batch alone without augmentations', () => {
    const x = ramp(3);
    augmentBatch(x, 3, shape, [], new Rng(1, 7));
    expect(x).toEqual(ramp(3));
  });
});
