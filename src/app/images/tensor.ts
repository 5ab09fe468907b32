import type { ImageShape } from '../../core';

/**
 * Pixel I/O between model tensors ([C,H,W] or [B,C,H,W] in [-1, 1]) and 8-bit RGBA. The byte
 * mapping round-trips exactly: byte b -> b/127.5 - 1 -> b, so pixels an edit keeps stay identical.
 */
function toByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
}

/** Sample k of a batch as RGBA (grayscale repeats its one channel). */
export function tensorToRgba(
  data: Float32Array,
  shape: ImageShape,
  k = 0,
): Uint8ClampedArray<ArrayBuffer> {
  const { channels: c, height: h, width: w } = shape;
  const plane = h * w;
  const base = k * c * plane;
  const out = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let ch = 0; ch < 3; ch++)
      out[p * 4 + ch] = toByte(data[base + Math.min(ch, c - 1) * plane + p]);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** RGBA at the model's size to a [C,H,W] tensor; grayscale models take the Rec. 601 luma. */
export function rgbaToTensor(rgba: Uint8ClampedArray, shape: ImageShape): Float32Array {
  const { channels: c, height: h, width: w } = shape;
  const plane = h * w;
  const out = new Float32Array(c * plane);
  for (let p = 0; p < plane; p++) {
    const [r, g, b] = [rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]];
    if (c === 1) out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b) / 127.5 - 1;
    else
      for (let ch = 0; ch < c; ch++) out[ch * plane + p] = [r, g, b][Math.min(ch, 2)] / 127.5 - 1;
  }
  return out;
}
