import { GIFEncoder, applyPalette, quantize, type Palette } from 'gifenc';
import type { ImageShape } from '../../core';
import { tensorToRgba } from './tensor';

/**
 * Image exports (contact sheets as PNG, the filmstrip as an animated GIF). Tiles are the model's
 * pixels enlarged by a whole factor without smoothing, so an exported tile is the sample itself.
 */

/** An RGBA picture being composed, white to start with. */
export class Raster {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4).fill(255);
  }

  /** Image k of a [B, C, H, W] tensor in [-1, 1], `zoom` times enlarged, top-left at (x, y). */
  put(data: Float32Array, shape: ImageShape, k: number, x: number, y: number, zoom: number): void {
    const src = tensorToRgba(data, shape, k);
    for (let row = 0; row < shape.height * zoom; row++) {
      const from = Math.floor(row / zoom) * shape.width;
      const to = ((y + row) * this.width + x) * 4;
      for (let col = 0; col < shape.width * zoom; col++) {
        const s = (from + Math.floor(col / zoom)) * 4;
        this.data.set(src.subarray(s, s + 4), to + col * 4);
      }
    }
  }
}

export interface Label {
  text: string;
  x: number;
  y: number;
  bold?: boolean;
}

/** PNG bytes of a raster with text drawn over it (the canvas's own PNG encoder). */
export async function pngBytes(r: Raster, labels: Label[] = []): Promise<Uint8Array<ArrayBuffer>> {
  const canvas = document.createElement('canvas');
  canvas.width = r.width;
  canvas.height = r.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas context for the PNG export');
  ctx.putImageData(new ImageData(r.data, r.width, r.height), 0, 0);
  ctx.fillStyle = '#1f2328';
  ctx.textBaseline = 'top';
  for (const l of labels) {
    ctx.font = `${l.bold ? 'bold ' : ''}12px system-ui, sans-serif`;
    ctx.fillText(l.text, l.x, l.y);
  }
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * A frame's palette and indices: its exact colours when there are at most 256 (grayscale always),
 * so those GIFs are lossless; otherwise gifenc's quantiser.
 */
function indexed(rgba: Uint8ClampedArray): { palette: Palette; index: Uint8Array } {
  const slot = new Map<number, number>();
  const index = new Uint8Array(rgba.length / 4);
  for (let p = 0; p < index.length; p++) {
    const key = (rgba[p * 4] << 16) | (rgba[p * 4 + 1] << 8) | rgba[p * 4 + 2];
    let i = slot.get(key);
    if (i === undefined) {
      if (slot.size === 256) {
        const palette = quantize(rgba, 256);
        return { palette, index: applyPalette(rgba, palette) };
      }
      i = slot.size;
      slot.set(key, i);
    }
    index[p] = i;
  }
  const palette = [...slot.keys()].map((k) => [k >> 16, (k >> 8) & 255, k & 255]);
  return { palette, index };
}

/** An animated GIF that loops forever, each frame shown for its delay (ms). */
export function gifBytes(frames: Raster[], delays: number[]): Uint8Array<ArrayBuffer> {
  const gif = GIFEncoder();
  frames.forEach((f, k) => {
    const { palette, index } = indexed(f.data);
    gif.writeFrame(index, f.width, f.height, { palette, delay: delays[k], repeat: 0 });
  });
  gif.finish();
  return new Uint8Array(gif.bytes());
}
