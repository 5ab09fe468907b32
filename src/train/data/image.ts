import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A decoded image as 8-bit RGBA, row-major. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes a PNG or JPEG (detected by its signature); the error names `name`. */
export function decodeImage(bytes: Uint8Array, name: string): Rgba {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isPng = buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47;
  const isJpeg = buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
  try {
    if (isPng) {
      const png = PNG.sync.read(buf);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
    }
    if (isJpeg) {
      const img = jpeg.decode(buf, {
        useTArray: true,
        formatAsRGBA: true,
        maxMemoryUsageInMB: 512,
      });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new Error(`${name}: unreadable image (${(e as Error).message})`, { cause: e });
  }
  throw new Error(`${name}: not a PNG or JPEG file`);
}

/**
 * Turns RGBA into a [C, size, size] float tensor in [-1, 1]: alpha-composite on white, crop the
 * centre square, then an area (box) filter down to size x size, so every output pixel is the
 * exact mean of the source area it covers. C = 1 uses Rec. 601 luma.
 */
export function toTensor(img: Rgba, size: number, channels: 1 | 3): Float32Array {
  const side = Math.min(img.width, img.height);
  const x0 = Math.floor((img.width - side) / 2);
  const y0 = Math.floor((img.height - side) / 2);
  const rgb = new Float32Array(3 * side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = 4 * ((y0 + y) * img.width + x0 + x);
      const a = img.data[o + 3]! / 255;
      for (let k = 0; k < 3; k++)
        rgb[(k * side + y) * side + x] = (img.data[o + k]! / 255) * a + (1 - a);
    }
  }
  const resized = areaResize(rgb, 3, side, size);
  const plane = size * size;
  if (channels === 3) return resized.map((v) => 2 * v - 1);
  const out = new Float32Array(plane);
  for (let i = 0; i < plane; i++) {
    out[i] =
      2 * (0.299 * resized[i]! + 0.587 * resized[plane + i]! + 0.114 * resized[2 * plane + i]!) - 1;
  }
  return out;
}

/** Area-weighted 1-D resampling weights: output pixel j covers source [j*s, (j+1)*s). */
function areaWeights(from: number, to: number): Array<Array<[number, number]>> {
  const scale = from / to;
  return Array.from({ length: to }, (_, j) => {
    const lo = j * scale;
    const hi = (j + 1) * scale;
    const taps: Array<[number, number]> = [];
    for (let i = Math.floor(lo); i < Math.min(from, Math.ceil(hi)); i++) {
      const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
      if (overlap > 0) taps.push([i, overlap / scale]);
    }
    return taps;
  });
}

/** Separable area resize of [C, from, from] planes to [C, to, to]. */
export function areaResize(
  src: Float32Array,
  channels: number,
  from: number,
  to: number,
): Float32Array {
  if (from === to) return src.slice();
  const w = areaWeights(from, to);
  const rows = new Float32Array(channels * from * to);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < from; y++) {
      for (let j = 0; j < to; j++) {
        let s = 0;
        for (const [i, wt] of w[j]!) s += wt * src[(c * from + y) * from + i]!;
        rows[(c * from + y) * to + j] = s;
      }
    }
  }
  const out = new Float32Array(channels * to * to);
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < to; j++) {
      for (let x = 0; x < to; x++) {
        let s = 0;
        for (const [i, wt] of w[j]!) s += wt * rows[(c * from + i) * to + x]!;
        out[(c * to + j) * to + x] = s;
      }
    }
  }
  return out;
}
