/**
 * FSQ-style codes (docs/math.md §2). Each of d channels is quantised to one of L levels,
 * q(y) = min(floor(L * sigmoid(y)), L - 1). A code is stored as its mixed-radix index
 * index = sum_i q_i L^i: channel 0 is the least significant digit, so for L = 2 bit i of the
 * index is channel i.
 */

const MAX_INDEX = Number.MAX_SAFE_INTEGER;

function checkLevels(levels: number): void {
  if (!Number.isInteger(levels) || levels < 2 || levels > 256) {
    throw new RangeError(`levels must be an integer in 2..256, got ${levels}`);
  }
}

export function checkCodeShape(levels: number, channels: number): void {
  checkLevels(levels);
  if (!Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`channels must be a positive integer, got ${channels}`);
  }
  if (levels ** channels - 1 > MAX_INDEX) {
    throw new RangeError(`${levels}^${channels} codes do not fit a safe integer index`);
  }
}

/** The quantiser applied per channel. */
export function quantize(y: ArrayLike<number>, levels: number): Uint8Array {
  checkLevels(levels);
  const q = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (Number.isNaN(v)) throw new RangeError(`code channel ${i} is NaN`);
    // For L = 2 the threshold sigmoid(y) >= 1/2 is y >= 0; testing it directly keeps the bit
    // independent of the engine's exp.
    q[i] =
      levels === 2
        ? v >= 0
          ? 1
          : 0
        : Math.min(Math.floor(levels / (1 + Math.exp(-v))), levels - 1);
  }
  return q;
}

export function packIndex(q: ArrayLike<number>, levels: number): number {
  checkCodeShape(levels, q.length);
  let index = 0;
  for (let i = q.length - 1; i >= 0; i--) {
    const v = q[i];
    if (!Number.isInteger(v) || v < 0 || v >= levels) {
      throw new RangeError(`code channel ${i} = ${v} is not a level in 0..${levels - 1}`);
    }
    index = index * levels + v;
  }
  return index;
}

export function unpackIndex(index: number, levels: number, channels: number): Uint8Array {
  checkCodeShape(levels, channels);
  if (!Number.isInteger(index) || index < 0 || index >= levels ** channels) {
    throw new RangeError(`code index ${index} is outside 0..${levels ** channels - 1}`);
  }
  const q = new Uint8Array(channels);
  let rest = index;
  for (let i = 0; i < channels; i++) {
    q[i] = rest % levels;
    rest = Math.floor(rest / levels);
  }
  return q;
}

/** L = 2 codes as the +-1 vector the denoiser is conditioned on: level 1 -> +1, level 0 -> -1. */
export function levelsToSigned(q: ArrayLike<number>): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    if (q[i] !== 0 && q[i] !== 1) throw new RangeError(`code channel ${i} = ${q[i]} is not a bit`);
    out[i] = q[i] === 1 ? 1 : -1;
  }
  return out;
}

export function signedToLevels(bits: ArrayLike<number>): Uint8Array {
  const q = new Uint8Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] !== 1 && bits[i] !== -1) {
      throw new RangeError(`code bit ${i} = ${bits[i]} is not +1 or -1`);
    }
    q[i] = bits[i] === 1 ? 1 : 0;
  }
  return q;
}

/** The +-1 bits of a binary code index (L = 2). */
export function indexToBits(index: number, channels: number): Float32Array {
  return levelsToSigned(unpackIndex(index, 2, channels));
}
