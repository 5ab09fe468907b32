import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic';

export interface GridOptions {
  /** Images per row; default ceil(sqrt(batch)). */
  columns?: number;
  /** Pixels between and around images. Default 2. */
  padding?: number;
  /** Grey level of the padding, 0-255. Default 255 (white). */
  padValue?: number;
}

/**
 * Lays out a batch [B, C, H, W] of values in [-1, 1] (C = 1 grayscale or 3 RGB) as one PNG image.
 * Values outside [-1, 1] are clipped.
 */
export function encodePngGrid(
  batch: Float32Array,
  shape: readonly [number, number, number, number],
  opts: GridOptions = {},
): Buffer {
  const [b, c, h, w] = shape;
  if (c !== 1 && c !== 3)
    throw new Error(`png grid: ${c} channels; only 1 (grayscale) or 3 (RGB) are drawable`);
  if (batch.length !== b * c * h * w)
    throw new Error(
      `png grid: shape [${shape}] needs ${b * c * h * w} values, got ${batch.length}`,
    );
  const cols = Math.max(1, Math.min(b, opts.columns ?? Math.ceil(Math.sqrt(b))));
  const rows = Math.ceil(b / cols);
  const pad = opts.padding ?? 2;
  const png = new PNG({ width: cols * (w + pad) + pad, height: rows * (h + pad) + pad });
  png.data.fill(opts.padValue ?? 255);
  // Opaque everywhere: pngjs blends transparent pixels with white when it drops the alpha channel.
  for (let o = 3; o < png.data.length; o += 4) png.data[o] = 255;
  const toByte = (v: number) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
  for (let i = 0; i < b; i++) {
    const x0 = pad + (i % cols) * (w + pad);
    const y0 = pad + Math.floor(i / cols) * (h + pad);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = 4 * ((y0 + y) * png.width + x0 + x);
        for (let k = 0; k < 3; k++) {
          png.data[o + k] = toByte(batch[((i * c + (c === 1 ? 0 : k)) * h + y) * w + x]!);
        }
      }
    }
  }
  return PNG.sync.write(png, { colorType: c === 1 ? 0 : 2 });
}

export const writePngGrid = (
  path: string,
  batch: Float32Array,
  shape: readonly [number, number, number, number],
  opts?: GridOptions,
) => writeFileAtomic(path, encodePngGrid(batch, shape, opts));
