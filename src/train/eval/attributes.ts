import type { AttributeAccuracy } from './classifier-info';

/** A binary attribute encoded in bit `bit` of the class index. */
export interface BinaryAttribute {
  name: string;
  bit: number;
  values: readonly [string, string];
}

/**
 * P(value 1) of every attribute for each of n images ([n, attributes]): the summed softmax of
 * every class whose index has the attribute's bit set, so one K-class head answers each attribute
 * without a head of its own.
 */
function attributeProbabilities(
  logits: Float32Array,
  n: number,
  attributes: readonly BinaryAttribute[],
): Float64Array {
  if (n === 0) throw new Error('attributes need at least one image');
  const k = logits.length / n;
  if (!Number.isInteger(k)) throw new Error(`${logits.length} logits for ${n} images`);
  for (const a of attributes)
    if (2 ** a.bit >= k)
      throw new Error(`attribute ${a.name}: bit ${a.bit} does not exist in ${k} classes`);
  const out = new Float64Array(n * attributes.length);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += p[j] = Math.exp(logits[i * k + j]! - max);
    attributes.forEach((a, ai) => {
      let one = 0;
      for (let j = 0; j < k; j++) if ((j >> a.bit) & 1) one += p[j]!;
      out[i * attributes.length + ai] = one / sum;
    });
  }
  return out;
}

/** Per-attribute accuracy of a classifier over combined classes (see attributeProbabilities). */
export function attributeAccuracies(
  logits: Float32Array,
  labels: ArrayLike<number>,
  attributes: readonly BinaryAttribute[],
): AttributeAccuracy[] {
  const n = labels.length;
  const p = attributeProbabilities(logits, n, attributes);
  return attributes.map((a, ai) => {
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const predicted = p[i * attributes.length + ai]! > 0.5 ? 1 : 0;
      if (predicted === ((labels[i]! >> a.bit) & 1)) correct++;
    }
    return {
      name: a.name,
      bit: a.bit,
      values: [a.values[0], a.values[1]],
      heldOutAccuracy: correct / n,
    };
  });
}

/** The share of n images the classifier gives each attribute's second value (values[1]). */
export interface AttributeShare {
  name: string;
  value: string;
  share: number;
}

/**
 * How often a set of images shows each attribute, by the classifier: the mean P(value 1). Beside
 * the held-out split's shares it says which attribute a generated set gets wrong, which one FID
 * number cannot.
 */
export function attributeShares(
  logits: Float32Array,
  n: number,
  attributes: readonly BinaryAttribute[],
): AttributeShare[] {
  const p = attributeProbabilities(logits, n, attributes);
  return attributes.map((a, ai) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += p[i * attributes.length + ai]!;
    return { name: a.name, value: a.values[1], share: sum / n };
  });
}
