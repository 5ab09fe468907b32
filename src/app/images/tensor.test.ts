import { describe, expect, it } from 'vitest';
import { rgbaToTensor, tensorToRgba } from './tensor';

describe('pixel I/O', () => {
  it('round-trips every byte exactly through the [-1, 1] tensor (RGB and grayscale)', () => {
    const rgba = new Uint8ClampedArray(256 * 4);
    for (let v = 0; v < 256; v++) rgba.set([v, 255 - v, (v * 7) % 256, 255], v * 4);
    const rgb = { channels: 3, height: 16, width: 16 };
    expect(Array.from(tensorToRgba(rgbaToTensor(rgba, rgb), rgb))).toEqual(Array.from(rgba));
    const grayIn = new Uint8ClampedArray(256 * 4);
    for (let v = 0; v < 256; v++) grayIn.set([v, v, v, 255], v * 4);
    const gray = { channels: 1, height: 16, width: 16 };
    expect(Array.from(tensorToRgba(rgbaToTensor(grayIn, gray), gray))).toEqual(Array.from(grayIn));
  });

  it('reads sample k of a batch and clamps values outside [-1, 1]', () => {
    const shape = { channels: 1, height: 1, width: 2 };
    const batch = new Float32Array([0, 0, -3, 3]);
    expect(Array.from(tensorToRgba(batch, shape, 1))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
});
