/**
 * Sampling weights of the codebook (docs/math.md §3-§4) and statistics over them. The shipped
 * file is a flat little-endian list of (u32 code index, f32 weight) pairs, 8 bytes each, heaviest
 * first (ties by ascending index); weights are frequencies and need not sum to 1.
 */

export interface SparseWeights {
  indices: Uint32Array;
  weights: Float32Array;
}

const ENTRY_BYTES = 8;

function check(w: SparseWeights, what: string, maxIndex?: number): void {
  const n = w.indices.length;
  if (n !== w.weights.length) {
    throw new RangeError(`${what}: ${n} indices but ${w.weights.length} weights`);
  }
  if (n === 0) throw new RangeError(`${what}: no entries`);
  const seen = new Set<number>();
  let total = 0;
  for (let k = 0; k < n; k++) {
    const wt = w.weights[k];
    if (!(Number.isFinite(wt) && wt >= 0)) {
      throw new RangeError(`${what}: weight of entry ${k} is ${wt}, not a finite number >= 0`);
    }
    if (k > 0 && wt > w.weights[k - 1]) {
      throw new RangeError(`${what}: entry ${k} is heavier than entry ${k - 1}; not sorted`);
    }
    const idx = w.indices[k];
    if (seen.has(idx)) throw new RangeError(`${what}: code index ${idx} appears twice`);
    if (maxIndex !== undefined && idx > maxIndex) {
      throw new RangeError(`${what}: code index ${idx} exceeds the codebook (max ${maxIndex})`);
    }
    seen.add(idx);
    total += wt;
  }
  if (!(total > 0)) throw new RangeError(`${what}: weights sum to 0`);
}

/** Sorts (index, weight) pairs heaviest first, dropping zero weights. */
export function sparseWeights(entries: Iterable<[number, number]>): SparseWeights {
  const list = [...entries].filter(([, w]) => w !== 0);
  list.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const out: SparseWeights = {
    indices: Uint32Array.from(list, ([i]) => i),
    weights: Float32Array.from(list, ([, w]) => w),
  };
  for (const [i] of list) {
    if (!Number.isInteger(i) || i < 0 || i > 0xffffffff) {
      throw new RangeError(`code index ${i} is not a u32`);
    }
  }
  // Float32 rounding can make neighbours equal but never reorder them.
  check(out, 'sampling weights');
  return out;
}

/** Sparse weights from a dense frequency table over all codes. */
export function sparseFromDense(dense: ArrayLike<number>): SparseWeights {
  const entries: [number, number][] = [];
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) entries.push([i, dense[i]]);
  return sparseWeights(entries);
}

export function serializeWeights(w: SparseWeights): ArrayBuffer {
  check(w, 'sampling weights');
  const buf = new ArrayBuffer(w.indices.length * ENTRY_BYTES);
  const view = new DataView(buf);
  for (let k = 0; k < w.indices.length; k++) {
    view.setUint32(k * ENTRY_BYTES, w.indices[k], true);
    view.setFloat32(k * ENTRY_BYTES + 4, w.weights[k], true);
  }
  return buf;
}

/** Parses and validates a weights file; maxIndex (codebook size - 1) bounds the indices. */
export function parseWeights(buf: ArrayBuffer, maxIndex?: number): SparseWeights {
  if (buf.byteLength % ENTRY_BYTES !== 0) {
    throw new RangeError(
      `sampling weights: ${buf.byteLength} bytes is not a whole number of 8-byte entries`,
    );
  }
  const n = buf.byteLength / ENTRY_BYTES;
  const view = new DataView(buf);
  const w: SparseWeights = { indices: new Uint32Array(n), weights: new Float32Array(n) };
  for (let k = 0; k < n; k++) {
    w.indices[k] = view.getUint32(k * ENTRY_BYTES, true);
    w.weights[k] = view.getFloat32(k * ENTRY_BYTES + 4, true);
  }
  check(w, 'sampling weights', maxIndex);
  return w;
}

/** The k heaviest codes (the file is sorted, so a prefix), with probabilities. */
export function topK(w: SparseWeights, k: number): { index: number; p: number }[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const total = w.weights.reduce((a, v) => a + v, 0);
  const out: { index: number; p: number }[] = [];
  for (let j = 0; j < Math.min(k, w.indices.length); j++) {
    out.push({ index: w.indices[j], p: w.weights[j] / total });
  }
  return out;
}

/** Shannon entropy of the normalised weights in nats and bits, and perplexity = e^H. */
export function entropy(weights: ArrayLike<number>): {
  nats: number;
  bits: number;
  perplexity: number;
} {
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(Number.isFinite(weights[i]) && weights[i] >= 0)) {
      throw new RangeError(`weight ${i} is ${weights[i]}, not a finite number >= 0`);
    }
    total += weights[i];
  }
  if (!(total > 0)) throw new RangeError('weights sum to 0');
  let nats = 0;
  for (let i = 0; i < weights.length; i++) {
    const p = weights[i] / total;
    if (p > 0) nats -= p * Math.log(p);
  }
  return { nats, bits: nats / Math.LN2, perplexity: Math.exp(nats) };
}
