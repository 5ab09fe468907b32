import { entropy, packIndex, signedToLevels } from '../../core';
import type { LoadedModel } from '../../runtime';

export interface CodeUsageStats {
  /** Codebook size L^d. */
  codebook: number;
  /** Codes with a non-zero sampling weight (weights.bin). */
  weightedCodes: number;
  /** exp(entropy) of the sampling weights: how many equally likely codes they amount to. */
  weightPerplexity: number;
  /** Distinct codes the encoder gives the held-out images, and how many images that was. */
  heldOutCodes: number;
  heldOutImages: number;
  /** exp(entropy) of the held-out images' code histogram. */
  heldOutPerplexity: number;
  /**
   * Share of the sampling weight on codes the encoder gives at least one held-out image: the rest
   * is spent on codes of no held-out image, which sampling draws all the same.
   */
  weightOnHeldOutCodes: number;
}

/** Code usage of a QAC model: its sampling weights and its encoder on held-out images. */
export async function codeUsage(
  model: LoadedModel,
  heldOut: Float32Array,
  count: number,
  batch = 500,
): Promise<CodeUsageStats> {
  const { code } = model.manifest;
  if (!code || !model.weights) throw new Error(`${model.manifest.name} has no code (a baseline)`);
  const histogram = new Map<number, number>();
  const d = code.bits;
  for (let start = 0; start < count; start += batch) {
    const b = Math.min(batch, count - start);
    const x = heldOut.subarray(start * model.imageSize, (start + b) * model.imageSize);
    const bits = await model.encode(x, b);
    for (let k = 0; k < b; k++) {
      const index = packIndex(signedToLevels(bits.subarray(k * d, (k + 1) * d)), 2);
      histogram.set(index, (histogram.get(index) ?? 0) + 1);
    }
  }
  const w = model.weights.weights;
  const total = w.reduce((a, v) => a + v, 0);
  const onHeldOut = model.weights.indices.reduce(
    (a, index, k) => (histogram.has(index) ? a + w[k]! : a),
    0,
  );
  return {
    codebook: code.levels ** code.bits,
    weightedCodes: w.reduce((n, v) => (v > 0 ? n + 1 : n), 0),
    weightPerplexity: entropy(w).perplexity,
    heldOutCodes: histogram.size,
    heldOutImages: count,
    heldOutPerplexity: entropy([...histogram.values()]).perplexity,
    weightOnHeldOutCodes: total > 0 ? onHeldOut / total : 0,
  };
}
