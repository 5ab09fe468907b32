import {
  CodeSampler,
  entropy,
  packIndex,
  signedToLevels,
  topK,
  type SparseWeights,
} from '../../core';
import type { LoadedModel } from '../../runtime';
import type { CodeStats } from './protocol';

function coreWeights(model: LoadedModel): SparseWeights {
  if (!model.weights) throw new Error(`${model.manifest.name} has no sampling weights`);
  return model.weights;
}

/** The code index of the encoder's +-1 output for one image. */
export function codeIndex(signs: Float32Array): number {
  return packIndex(signedToLevels(signs), 2);
}

export function codeStats(model: LoadedModel): CodeStats {
  const w = coreWeights(model);
  const top = topK(w, w.indices.length).map((c) => ({ index: c.index, weight: c.p }));
  const h = entropy(w.weights);
  return {
    bits: model.codeBits,
    top,
    distinct: top.filter((c) => c.weight > 0).length,
    entropyBits: h.bits,
    perplexity: h.perplexity,
  };
}

/** One code per seed, each drawn on that seed's code stream (alias method). */
export function drawCodes(model: LoadedModel, seeds: number[]): number[] {
  return new CodeSampler(coreWeights(model)).drawBatch(seeds);
}
