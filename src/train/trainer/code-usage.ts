import { entropy } from '../../core';

/**
 * Online sampling weights over all L^d codes (docs/math.md §3): w <- mu w + (1 - mu) w_batch,
 * where w_batch is the batch's normalised code histogram. Dense, so d is limited to ~24 bits.
 */
export class CodeUsage {
  readonly weights: Float32Array;
  private readonly batchCounts: Uint32Array;

  constructor(
    readonly bits: number,
    readonly levels: number,
    weights?: Float32Array,
  ) {
    const size = levels ** bits;
    if (weights && weights.length !== size)
      throw new Error(
        `code usage: ${weights.length} weights stored, ${levels}^${bits} = ${size} codes expected`,
      );
    this.weights = weights ?? new Float32Array(size);
    this.batchCounts = new Uint32Array(size);
  }

  /** Code index of each row of `levels` [B, d] (mixed radix, channel 0 least significant). */
  indices(q: Float32Array): Uint32Array {
    const d = this.bits;
    const out = new Uint32Array(q.length / d);
    for (let k = 0; k < out.length; k++) {
      let index = 0;
      for (let i = d - 1; i >= 0; i--) index = index * this.levels + q[k * d + i]!;
      out[k] = index;
    }
    return out;
  }

  /** Folds one batch of code levels into the weights; returns how many distinct codes it held. */
  update(q: Float32Array, mu: number): number {
    const idx = this.indices(q);
    for (const i of idx) this.batchCounts[i]!++;
    let distinct = 0;
    const w = this.weights;
    for (let i = 0; i < w.length; i++) w[i] = mu * w[i]!;
    for (const i of idx) {
      const c = this.batchCounts[i]!;
      if (c === 0) continue;
      distinct++;
      w[i] = w[i]! + ((1 - mu) * c) / idx.length;
      this.batchCounts[i] = 0;
    }
    return distinct;
  }

  /** Codes whose weight is still above 1e-6 of the total, and the perplexity of the weights. */
  stats(): { inUse: number; perplexity: number } {
    let total = 0;
    for (const v of this.weights) total += v;
    if (!(total > 0)) return { inUse: 0, perplexity: 0 };
    let inUse = 0;
    for (const v of this.weights) if (v > 1e-6 * total) inUse++;
    return { inUse, perplexity: entropy(this.weights).perplexity };
  }
}
