import type { SparseWeights } from '../../runtime';
import type { CodeStats } from './protocol';

/** Codes [batch, bits] of +-1: bit i of the index is channel i (the runtime's bit order). */
export function codeSigns(indices: number[], bits: number): Float32Array {
  const out = new Float32Array(indices.length * bits);
  indices.forEach((index, k) => {
    for (let i = 0; i < bits; i++) out[k * bits + i] = (index >>> i) & 1 ? 1 : -1;
  });
  return out;
}

export function codeIndex(signs: Float32Array, bits: number): number {
  let index = 0;
  for (let i = 0; i < bits; i++) if (signs[i] > 0) index |= 1 << i;
  return index;
}

export function codeStats(weights: SparseWeights, bits: number): CodeStats {
  const top: { index: number; weight: number }[] = [];
  let entropy = 0;
  for (let j = 0; j < weights.index.length; j++) {
    const w = weights.weight[j];
    if (w <= 0) continue;
    top.push({ index: weights.index[j], weight: w });
    entropy -= w * Math.log2(w);
  }
  return { bits, top, distinct: top.length, entropyBits: entropy, perplexity: 2 ** entropy };
}

/** A seeded categorical draw from the weights. */
export function drawCodes(weights: SparseWeights, uniforms: number[]): number[] {
  return uniforms.map((u) => {
    let acc = 0;
    for (let j = 0; j < weights.index.length; j++) {
      acc += weights.weight[j];
      if (u < acc) return weights.index[j];
    }
    return weights.index[weights.index.length - 1];
  });
}
