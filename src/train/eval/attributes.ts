import type { AttributeAccuracy } from './classifier-info';

/** A binary attribute encoded in bit `bit` of the class index. */
export interface BinaryAttribute {
  name: string;
  bit: number;
  values: readonly [string, string];
}

/**
 * Per-attribute accuracy of a classifier over combined classes: the probability of value 1 is the
 * summed softmax of every class whose index has the attribute's bit set, so one K-class head
 * answers each attribute without a head of its own.
 */
export function attributeAccuracies(
  logits: Float32Array,
  labels: ArrayLike<number>,
  attributes: readonly BinaryAttribute[],
): AttributeAccuracy[] {
  const n = labels.length;
  if (n === 0) throw new Error('attribute accuracy needs at least one image');
  const k = logits.length / n;
  if (!Number.isInteger(k)) throw new Error(`${logits.length} logits for ${n} images`);
  for (const a of attributes)
    if (2 ** a.bit >= k)
      throw new Error(`attribute ${a.name}: bit ${a.bit} does not exist in ${k} classes`);
  const correct = attributes.map(() => 0);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += p[j] = Math.exp(logits[i * k + j]! - max);
    attributes.forEach((a, ai) => {
      let one = 0;
      for (let j = 0; j < k; j++) if ((j >> a.bit) & 1) one += p[j]!;
      const predicted = one / sum > 0.5 ? 1 : 0;
      if (predicted === ((labels[i]! >> a.bit) & 1)) correct[ai]!++;
    });
  }
  return attributes.map((a, ai) => ({
    name: a.name,
    bit: a.bit,
    values: [a.values[0], a.values[1]],
    heldOutAccuracy: correct[ai]! / n,
  }));
}
