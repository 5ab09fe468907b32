import { Rng } from '../../core';

/** Bootstrap replicates of the report: enough for a 95% percentile interval at 2-3 digits. */
export const BOOTSTRAP_RESAMPLES = 200;
/** A constant, so the same stored features always give the same interval. */
export const BOOTSTRAP_SEED = 20_250_212;

/**
 * How often each of n rows is drawn in replicate r (n draws with replacement). The draw depends
 * only on (n, r, block) and the constant seed, never on the features: every model evaluated with
 * the same sampling seeds gets the same replicates, so sample k of a QAC model and sample k of
 * its baseline (same x_T) are resampled together. That pairing lets one model be evaluated at a
 * time and the ratio's interval be formed afterwards from the two stored lists. `block` tells
 * sets of the same size apart: the report passes the sampling seed of the set.
 */
export function bootstrapCounts(n: number, r: number, block = 0): Uint32Array {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`bootstrap: n must be >= 1, got ${n}`);
  const rng = new Rng(BOOTSTRAP_SEED + 1_000_003 * n + 7_919 * block, r);
  const counts = new Uint32Array(n);
  for (let k = 0; k < n; k++) counts[Math.min(n - 1, Math.floor(rng.uniform() * n))]!++;
  return counts;
}

/**
 * Counts for a set made of blocks (one per sampling seed), each resampled within itself as
 * bootstrapCounts does for that block alone, so replicate r of the pooled set is the union of
 * replicate r of each seed's set.
 */
export function stratifiedCounts(
  blocks: readonly { size: number; block: number }[],
  r: number,
): Uint32Array {
  const all = new Uint32Array(blocks.reduce((a, b) => a + b.size, 0));
  let offset = 0;
  for (const { size, block } of blocks) {
    all.set(bootstrapCounts(size, r, block), offset);
    offset += size;
  }
  return all;
}

/** The percentile interval [lo, hi] holding the central `level` of the values. */
export function percentileInterval(values: readonly number[], level = 0.95): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) throw new Error('percentile interval of no finite values');
  const sorted = [...finite].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
  };
  const tail = (1 - level) / 2;
  return [at(tail), at(1 - tail)];
}

/** Replicate-wise ratio a[r] / b[r] of two bootstrap lists drawn with the same replicates. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length)
    throw new Error(`paired bootstrap: ${a.length} replicates against ${b.length}`);
  return a.map((v, r) => v / b[r]!);
}

/** Replicate-wise geometric mean of several ratio lists (one per setting). */
export function geometricMeanReplicates(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) throw new Error('geometric mean of no settings');
  const n = lists[0]!.length;
  if (lists.some((l) => l.length !== n))
    throw new Error('geometric mean: settings have different replicate counts');
  return Array.from({ length: n }, (_, r) =>
    Math.exp(lists.reduce((s, l) => s + Math.log(l[r]!), 0) / lists.length),
  );
}

export const geometricMean = (xs: readonly number[]): number =>
  Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);
