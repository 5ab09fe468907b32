import { describe, expect, it } from 'vitest';
import { rmse } from '../worker/lab';
import { filmstripGifLayout, labSheetLayout } from './layout';
import { Raster, gifBytes } from './sheet';

const SHAPE = { channels: 1, height: 2, width: 3 };

describe('image exports', () => {
  it('enlarges a tile by a whole factor, pixel for pixel', () => {
    const r = new Raster(8, 5);
    r.put(new Float32Array([-1, 0, 1, 1, 0, -1]), SHAPE, 0, 1, 0, 2);
    const at = (x: number, y: number) => r.data[(y * 8 + x) * 4];
    expect([at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(5, 0), at(6, 0)]).toEqual([
      255, 0, 0, 128, 255, 255,
    ]);
    expect([at(1, 3), at(6, 3), at(1, 4)]).toEqual([255, 0, 255]);
  });

  it('writes a looping GIF89a with one image per frame at the layout size', () => {
    const { width, height } = filmstripGifLayout(SHAPE);
    const frames = [0, 1, 2].map(() => new Raster(width, height));
    frames[1].put(new Float32Array(6).fill(1), SHAPE, 0, 0, 0, 4);
    const gif = gifBytes(frames, [100, 100, 500]);
    expect(new TextDecoder().decode(gif.subarray(0, 6))).toBe('GIF89a');
    const view = new DataView(gif.buffer);
    expect([view.getUint16(6, true), view.getUint16(8, true)]).toEqual([width, height]);
    expect(new TextDecoder().decode(gif).includes('NETSCAPE2.0')).toBe(true);
    expect(gif[gif.length - 1]).toBe(0x3b);
  });

  it('lays the lab sheet out wide enough for its error line', () => {
    const l = labSheetLayout(SHAPE, 15, 9);
    expect(l.cellW).toBeGreaterThanOrEqual(120);
    expect(l.cell(1, 2).x).toBeGreaterThan(l.cell(1, 1).x + l.cellW - 1);
    expect(l.height).toBe(l.cell(14, 0).y + l.cellH + 4);
  });

  it('measures the lab distance as RMSE in pixel units', () => {
    expect(rmse(new Float32Array([0, 0, 0, 0]), new Float32Array([1, -1, 1, -1]))).toBe(1);
    expect(rmse(new Float32Array([0.5, 0.5]), new Float32Array([0.5, 0.5]))).toBe(0);
  });
});
