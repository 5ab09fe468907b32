import { detLog } from './detlog';

/**
 * Seeded generator: xoshiro128** over four 32-bit words (Math.imul and shifts only), seeded by a
 * murmur3-style mix of (seed, stream). Normals use Marsaglia's polar method with detLog and
 * Math.sqrt (correctly rounded by the spec), so every draw is bit-identical in browsers and Node.
 *
 * Per-sample streams: sample k of a batch is driven by its own seed (by default seed + k), and each
 * use (initial noise, SDE noise, code draws, editing noise) gets its own stream of that seed, so a
 * sample never depends on the batch around it.
 */
export const Stream = { init: 0, sde: 1, code: 2, edit: 3 } as const;
export type StreamId = (typeof Stream)[keyof typeof Stream];

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkSeed(seed: number, what = 'seed'): void {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`${what} must be a safe integer, got ${seed}`);
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;
  private u = 0;
  private v = 0;

  constructor(seed: number, stream: number = Stream.init) {
    checkSeed(seed);
    checkSeed(stream, 'stream');
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let h = fmix32(lo ^ 0x9e3779b9);
    h = fmix32(h ^ hi ^ 0x7f4a7c15);
    h = fmix32(h ^ (stream >>> 0) ^ 0x85ebca6b);
    this.s0 = fmix32(h + 0x243f6a88);
    this.s1 = fmix32(h + 0x85a308d3);
    this.s2 = fmix32(h + 0x13198a2e);
    this.s3 = fmix32(h + 0x03707344);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const f = this.polar();
    this.spare = this.v * f;
    this.hasSpare = true;
    return this.u * f;
  }

  /** Writes scale * n into out[start..end); the same sequence as repeated normal(). */
  fillNormal(out: Float32Array, start = 0, end = out.length, scale = 1): void {
    let i = start;
    if (this.hasSpare && i < end) {
      this.hasSpare = false;
      out[i++] = scale * this.spare;
    }
    while (i < end) {
      const f = this.polar();
      out[i++] = scale * this.u * f;
      if (i < end) out[i++] = scale * this.v * f;
      else {
        this.spare = this.v * f;
        this.hasSpare = true;
      }
    }
  }

  /** Marsaglia's polar method: leaves a point (u, v) in the unit disc, returns the factor. */
  private polar(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      this.u = u;
      this.v = v;
      return Math.sqrt((-2 * detLog(s)) / s);
    }
  }
}

/** The seed of every sample of a batch: explicit per-sample seeds, or seed, seed+1, ... */
export function sampleSeeds(batch: number, seed = 0, seeds?: readonly number[]): number[] {
  if (!Number.isInteger(batch) || batch < 1) {
    throw new RangeError(`batch must be a positive integer, got ${batch}`);
  }
  if (seeds !== undefined) {
    if (seeds.length !== batch) {
      throw new RangeError(`seeds has ${seeds.length} entries but the batch has ${batch} samples`);
    }
    seeds.forEach((s, k) => checkSeed(s, `seeds[${k}]`));
    return [...seeds];
  }
  checkSeed(seed);
  checkSeed(seed + batch - 1, 'seed + batch - 1');
  return Array.from({ length: batch }, (_, k) => seed + k);
}

/** One generator per sample on the given stream. */
export function sampleRngs(seeds: readonly number[], stream: StreamId): Rng[] {
  return seeds.map((s) => new Rng(s, stream));
}

/** x_T = sigmaMax * n for a batch; sample k draws from its own seed's init stream. */
export function initialNoise(
  seeds: readonly number[],
  sampleSize: number,
  sigmaMax: number,
): Float32Array {
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new RangeError(`sampleSize must be a positive integer, got ${sampleSize}`);
  }
  if (!(Number.isFinite(sigmaMax) && sigmaMax > 0)) {
    throw new RangeError(`sigmaMax must be a positive finite number, got ${sigmaMax}`);
  }
  const out = new Float32Array(seeds.length * sampleSize);
  seeds.forEach((s, k) => {
    new Rng(s, Stream.init).fillNormal(out, k * sampleSize, (k + 1) * sampleSize, sigmaMax);
  });
  return out;
}
