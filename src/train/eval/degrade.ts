import { Rng } from '../../core';

/** A batch [n, C, H, W] of images in [-1, 1]. */
export interface ImageBatch {
  images: Float32Array;
  n: number;
  channels: number;
  height: number;
  width: number;
}

/**
 * Known damage to real images, to check that a feature net sees what a viewer would call worse:
 * a trustworthy FID proxy must grow with the blur radius and the noise level.
 */
export type Degradation = { kind: 'blur'; sigma: number } | { kind: 'noise'; std: number };

export const DEGRADATIONS: readonly Degradation[] = [
  { kind: 'blur', sigma: 0.5 },
  { kind: 'blur', sigma: 1 },
  { kind: 'noise', std: 0.1 },
  { kind: 'noise', std: 0.2 },
];

export const degradationLabel = (d: Degradation): string =>
  d.kind === 'blur' ? `Gaussian blur sigma ${d.sigma} px` : `Gaussian noise std ${d.std}`;

function kernel(sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = Float64Array.from({ length: 2 * r + 1 }, (_, i) =>
    Math.exp(-((i - r) ** 2) / (2 * sigma ** 2)),
  );
  const sum = k.reduce((a, v) => a + v, 0);
  return k.map((v) => v / sum);
}

/** Separable Gaussian blur of every plane, edges clamped (so a flat image stays flat). */
function blur(b: ImageBatch, sigma: number): Float32Array {
  const { height: h, width: w } = b;
  const k = kernel(sigma);
  const r = (k.length - 1) / 2;
  const out = new Float32Array(b.images.length);
  const row = new Float32Array(h * w);
  for (let o = 0; o < b.images.length; o += h * w) {
    const src = b.images.subarray(o, o + h * w);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let a = 0;
        for (let i = -r; i <= r; i++)
          a += k[i + r]! * src[y * w + Math.min(w - 1, Math.max(0, x + i))]!;
        row[y * w + x] = a;
      }
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let a = 0;
        for (let i = -r; i <= r; i++)
          a += k[i + r]! * row[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
        out[o + y * w + x] = a;
      }
  }
  return out;
}

/** The damaged copy of a batch; noise is clamped back to [-1, 1], as generated samples are. */
export function degrade(b: ImageBatch, d: Degradation, seed: number): Float32Array {
  if (b.images.length !== b.n * b.channels * b.height * b.width)
    throw new Error(
      `degrade: ${b.images.length} values for ${b.n} x ${b.channels} x ${b.height} x ${b.width}`,
    );
  if (d.kind === 'blur') return blur(b, d.sigma);
  const out = new Float32Array(b.images.length);
  new Rng(seed).fillNormal(out, 0, out.length, d.std);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(-1, b.images[i]! + out[i]!));
  return out;
}
