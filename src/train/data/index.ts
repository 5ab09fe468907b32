import { loadAvatars } from './avatars';
import { loadEmoji } from './emoji';
import { loadFashionMnist } from './fashion-mnist';
import { loadFolder } from './folder';
import { loadMnist } from './mnist';
import { DATASET_NAMES, isDatasetName, type DatasetName } from './catalog';
import type { ImageDataset, LoadDatasetOptions } from './types';

export type { ImageDataset, LoadDatasetOptions } from './types';
export { heldOutSplit, SPLIT_SEED } from './split';
export { BatchOrder, gather, type BatchOrderState } from './batches';
export { DATASET_NAMES, isDatasetName, presetsFor } from './catalog';

// One loader per catalog entry (catalog.ts): a dataset added there without a loader does not compile.
const LOADERS: Record<DatasetName, (opts: LoadDatasetOptions) => Promise<ImageDataset>> = {
  mnist: loadMnist,
  'fashion-mnist': loadFashionMnist,
  emoji: (opts) => loadEmoji(['google', 'twitter'], opts),
  'emoji-google': (opts) => loadEmoji(['google'], opts),
  'emoji-twitter': (opts) => loadEmoji(['twitter'], opts),
  avatars: (opts) => loadAvatars('default', opts),
  'avatar-attributes': (opts) => loadAvatars('attributes', opts),
  'avatar-styles': (opts) => loadAvatars('styles', opts),
  folder: loadFolder,
};

export async function loadDataset(
  name: string,
  opts: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  if (!isDatasetName(name))
    throw new Error(`unknown dataset "${name}"; known datasets: ${DATASET_NAMES.join(', ')}`);
  const loader = LOADERS[name];
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit > 0)) {
    throw new Error(`dataset limit ${opts.limit} is not a positive integer`);
  }
  if (
    opts.size !== undefined &&
    !(Number.isInteger(opts.size) && opts.size >= 4 && opts.size <= 512)
  ) {
    throw new Error(`image size ${opts.size} is not an integer between 4 and 512`);
  }
  if (opts.channels !== undefined && opts.channels !== 1 && opts.channels !== 3) {
    throw new Error(`image channels ${String(opts.channels)} must be 1 (grayscale) or 3 (RGB)`);
  }
  return loader(opts);
}

/** Refuses a dataset whose images do not have the shape a model was built for. */
export function checkImageShape(
  dataset: Pick<ImageDataset, 'name' | 'channels' | 'height' | 'width'>,
  expected: { channels: number; height: number; width: number },
): void {
  const got = `${dataset.channels}x${dataset.height}x${dataset.width}`;
  const want = `${expected.channels}x${expected.height}x${expected.width}`;
  if (got !== want) {
    throw new Error(
      `dataset ${dataset.name} has ${got} (CxHxW) images but the model expects ${want}; ` +
        'pick a matching preset or set the image size and channels to match',
    );
  }
}
