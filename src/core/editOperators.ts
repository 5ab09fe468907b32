/**
 * Invertible linear operators A and coefficient masks for zero-shot editing (docs/math.md §6).
 * Images are one sample in CHW order. mask[m] = 1 marks a coefficient of A x to be generated,
 * 0 one kept from the reference. All three operators are orthonormal, so A^-1 = A^T and float32
 * round trips are exact up to a few ulp.
 */

export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

export interface EditOperator {
  readonly name: 'inpainting' | 'colorization' | 'super-resolution';
  readonly shape: ImageShape;
  /** Values per sample, C*H*W; coefficients have the same count. */
  readonly size: number;
  readonly mask: Uint8Array;
  /** out = A x for one sample (out may not alias x). */
  forward(x: Float32Array, out: Float32Array): void;
  /** out = A^-1 c for one sample (out may not alias c). */
  inverse(c: Float32Array, out: Float32Array): void;
}

function checkShape(s: ImageShape): number {
  for (const k of ['channels', 'height', 'width'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1) {
      throw new RangeError(`image ${k} must be a positive integer, got ${s[k]}`);
    }
  }
  return s.channels * s.height * s.width;
}

/**
 * A = I; the mask is given per pixel (H*W, shared by the channels) or per value (C*H*W), 1 =
 * to be generated.
 */
export function inpainting(shape: ImageShape, mask: ArrayLike<number>): EditOperator {
  const size = checkShape(shape);
  const plane = shape.height * shape.width;
  if (mask.length !== plane && mask.length !== size) {
    throw new RangeError(`inpainting mask has ${mask.length} values, expected ${plane} or ${size}`);
  }
  const full = new Uint8Array(size);
  for (let m = 0; m < size; m++) {
    const v = mask.length === size ? mask[m] : mask[m % plane];
    if (v !== 0 && v !== 1) throw new RangeError(`inpainting mask value ${v} is not 0 or 1`);
    full[m] = v;
  }
  return {
    name: 'inpainting',
    shape,
    size,
    mask: full,
    forward: (x, out) => out.set(x),
    inverse: (c, out) => out.set(c),
  };
}

const R3 = 1 / Math.sqrt(3);
const R2 = 1 / Math.SQRT2;
const R6 = 1 / Math.sqrt(6);

/**
 * Per pixel, an orthogonal colour transform: luminance [1,1,1]/sqrt3 and two chroma axes
 * [1,-1,0]/sqrt2 and [1,1,-2]/sqrt6. The chroma channels are generated.
 */
export function colorization(shape: ImageShape): EditOperator {
  const size = checkShape(shape);
  if (shape.channels !== 3) {
    throw new RangeError(`colorization needs 3 channels, got ${shape.channels}`);
  }
  const p = shape.height * shape.width;
  const mask = new Uint8Array(size);
  mask.fill(1, p);
  return {
    name: 'colorization',
    shape,
    size,
    mask,
    forward(x, out) {
      for (let j = 0; j < p; j++) {
        const r = x[j];
        const g = x[p + j];
        const b = x[2 * p + j];
        out[j] = (r + g + b) * R3;
        out[p + j] = (r - g) * R2;
        out[2 * p + j] = (r + g - 2 * b) * R6;
      }
    },
    inverse(c, out) {
      for (let j = 0; j < p; j++) {
        const l = c[j] * R3;
        const u = c[p + j] * R2;
        const v = c[2 * p + j] * R6;
        out[j] = l + u + v;
        out[p + j] = l - u + v;
        out[2 * p + j] = l - 2 * v;
      }
    },
  };
}

/** In-place orthonormal Walsh-Hadamard transform of v (length a power of 4, so sqrt is exact). */
function hadamard(v: Float64Array, scale: number): void {
  for (let len = 1; len < v.length; len *= 2) {
    for (let i = 0; i < v.length; i += 2 * len) {
      for (let j = i; j < i + len; j++) {
        const a = v[j];
        const b = v[j + len];
        v[j] = a + b;
        v[j + len] = a - b;
      }
    }
  }
  for (let i = 0; i < v.length; i++) v[i] *= scale;
}

/**
 * Block decomposition for x2/x4 super-resolution: every f x f block of every channel is mapped by
 * the orthonormal Sylvester-Hadamard matrix of order f^2 (for f = 2 exactly the one-level 2-D Haar
 * transform). Coefficient 0 of a block is f * (block mean), i.e. the low-resolution pixel, and is
 * kept; the f^2 - 1 detail coefficients are generated. Coefficients are stored in place of the
 * block's pixels, row-major within the block.
 */
export function superResolution(shape: ImageShape, factor: 2 | 4): EditOperator {
  const size = checkShape(shape);
  if (factor !== 2 && factor !== 4) throw new RangeError(`factor must be 2 or 4, got ${factor}`);
  const { channels, height: h, width: w } = shape;
  if (h % factor !== 0 || w % factor !== 0) {
    throw new RangeError(`image ${h}x${w} is not divisible by the factor ${factor}`);
  }
  const n = factor * factor;
  const block = new Float64Array(n);
  const mask = new Uint8Array(size).fill(1);
  const apply = (src: Float32Array, dst: Float32Array) => {
    for (let c = 0; c < channels; c++) {
      for (let by = 0; by < h; by += factor) {
        for (let bx = 0; bx < w; bx += factor) {
          const base = c * h * w + by * w + bx;
          for (let m = 0; m < n; m++)
            block[m] = src[base + Math.floor(m / factor) * w + (m % factor)];
          hadamard(block, 1 / factor);
          for (let m = 0; m < n; m++)
            dst[base + Math.floor(m / factor) * w + (m % factor)] = block[m];
        }
      }
    }
  };
  for (let c = 0; c < channels; c++) {
    for (let by = 0; by < h; by += factor) {
      for (let bx = 0; bx < w; bx += factor) mask[c * h * w + by * w + bx] = 0;
    }
  }
  // The normalised Sylvester matrix is symmetric and orthogonal, hence its own inverse.
  return { name: 'super-resolution', shape, size, mask, forward: apply, inverse: apply };
}

/**
 * A reference for super-resolution from a low-resolution image (C x H/f x W/f): nearest-neighbour
 * upsampling, whose block means are the low-resolution pixels.
 */
export function upsampleNearest(
  low: Float32Array,
  shape: ImageShape,
  factor: number,
): Float32Array {
  const size = checkShape(shape);
  const lh = shape.height / factor;
  const lw = shape.width / factor;
  if (!Number.isInteger(lh) || !Number.isInteger(lw) || low.length !== shape.channels * lh * lw) {
    throw new RangeError(
      `low-resolution image has ${low.length} values, expected ${shape.channels}x${lh}x${lw}`,
    );
  }
  const out = new Float32Array(size);
  for (let c = 0; c < shape.channels; c++) {
    for (let y = 0; y < shape.height; y++) {
      for (let x = 0; x < shape.width; x++) {
        out[(c * shape.height + y) * shape.width + x] =
          low[(c * lh + Math.floor(y / factor)) * lw + Math.floor(x / factor)];
      }
    }
  }
  return out;
}
