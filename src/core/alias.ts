import type { SparseWeights } from './codebook';
import { Rng, Stream } from './rng';

/**
 * Vose's alias method: O(n) set-up, then O(1) per draw from a categorical distribution with the
 * given (unnormalised) weights.
 */
export class AliasSampler {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias sampler needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!(Number.isFinite(weights[i]) && weights[i] >= 0)) {
        throw new RangeError(`weight ${i} is ${weights[i]}, not a finite number >= 0`);
      }
      total += weights[i];
    }
    if (!(total > 0)) throw new RangeError('weights sum to 0');
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = Float64Array.from({ length: n }, (_, i) => (weights[i] * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // Whatever is left is 1 up to rounding.
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  get size(): number {
    return this.prob.length;
  }

  /** A position in 0..size-1 with probability proportional to its weight. */
  sample(rng: Rng): number {
    const column = Math.floor(rng.uniform() * this.prob.length);
    return rng.uniform() < this.prob[column] ? column : this.alias[column];
  }
}

/**
 * Draws code indices from sampling weights (docs/math.md §4). The draw for a sample uses its
 * own seed's code stream, so it does not depend on the rest of the batch.
 */
export class CodeSampler {
  private readonly alias: AliasSampler;

  constructor(private readonly w: SparseWeights) {
    this.alias = new AliasSampler(w.weights);
  }

  draw(seed: number): number {
    return this.w.indices[this.alias.sample(new Rng(seed, Stream.code))];
  }

  drawBatch(seeds: readonly number[]): number[] {
    return seeds.map((s) => this.draw(s));
  }
}
