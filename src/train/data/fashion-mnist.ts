import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { FileCheckError, readRegularFile } from '../../runtime/node/files';
import { parseIdx } from './idx';
import type { ImageDataset, LoadDatasetOptions } from './types';

/** Where the Debian package `dataset-fashion-mnist` installs the files (`dpkg -L` lists them). */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const PARTS = ['train', 't10k'] as const;

/** The largest part, the training images unpacked, is 47 MB; reads stop well past it. */
const MAX_PART_BYTES = 256 << 20;

async function readPart(dir: string, file: string): Promise<Uint8Array> {
  for (const candidate of [file, file.replace(/\.gz$/, '')]) {
    try {
      return new Uint8Array(await readRegularFile(join(dir, candidate), MAX_PART_BYTES));
    } catch (e) {
      if (e instanceof FileCheckError) throw new Error(`Fashion-MNIST: ${e.message}`, { cause: e });
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new Error(
    `Fashion-MNIST: ${join(dir, file)} not found. Install the Debian package with ` +
      '`apt-get install -y dataset-fashion-mnist` (files land in ' +
      `${FASHION_MNIST_DEBIAN_DIR}) or pass --data-dir with a folder holding ` +
      'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.',
  );
}

/**
 * What a model card names as the data's origin: the Debian package and its version, or the
 * folder's name for --data-dir (a machine path would say nothing on another machine).
 */
async function sourceOf(dir: string): Promise<string> {
  if (dir !== FASHION_MNIST_DEBIAN_DIR)
    return `Fashion-MNIST IDX files from a folder named "${basename(dir)}"`;
  const version = await promisify(execFile)('dpkg-query', [
    '-W',
    '-f=${Version}',
    'dataset-fashion-mnist',
  ])
    .then((r) => r.stdout.trim())
    .catch(() => '');
  return `Debian package dataset-fashion-mnist${version ? ` ${version}` : ''}`;
}

/**
 * Fashion-MNIST: the 60k training and 10k test images together; the 10k test images are the
 * held-out split.
 */
export async function loadFashionMnist(opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const dir = opts.dataDir ?? FASHION_MNIST_DEBIAN_DIR;
  const parts: Array<{ images: Uint8Array; labels: Uint8Array; n: number }> = [];
  for (const part of PARTS) {
    const imgName = `${part}-images-idx3-ubyte.gz`;
    const lblName = `${part}-labels-idx1-ubyte.gz`;
    const images = parseIdx(await readPart(dir, imgName), join(dir, imgName));
    const labels = parseIdx(await readPart(dir, lblName), join(dir, lblName));
    if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
      throw new Error(
        `${join(dir, imgName)}: expected [N, 28, 28] images, got [${images.dims.join(', ')}]`,
      );
    }
    if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
      throw new Error(
        `${join(dir, lblName)}: ${labels.dims.join('x')} labels for ${images.dims[0]} images`,
      );
    }
    const bad = labels.data.findIndex((l) => l >= CLASS_NAMES.length);
    if (bad >= 0)
      throw new Error(
        `${join(dir, lblName)}: label ${labels.data[bad]} at ${bad} is not a class 0-9`,
      );
    parts.push({ images: images.data, labels: labels.data, n: images.dims[0]! });
  }
  // A limit keeps the official 6:1 train/test ratio so the held-out split stays non-empty.
  const limit = opts.limit ?? Infinity;
  const nTest = Math.min(
    parts[1]!.n,
    limit === Infinity ? Infinity : Math.max(1, Math.round(limit / 7)),
  );
  const nTrain = Math.min(parts[0]!.n, limit - nTest);
  const count = nTrain + nTest;
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  const take = (p: (typeof parts)[number], n: number, at: number) => {
    for (let i = 0; i < n * 784; i++) images[at * 784 + i] = p.images[i]! / 127.5 - 1;
    for (let i = 0; i < n; i++) labels[at + i] = p.labels[i]!;
  };
  take(parts[0]!, nTrain, 0);
  take(parts[1]!, nTest, nTrain);
  return {
    name: 'fashion-mnist',
    channels: 1,
    height: 28,
    width: 28,
    count,
    images,
    labels,
    classNames: CLASS_NAMES,
    source: await sourceOf(dir),
    credits: 'Fashion-MNIST (Zalando Research), MIT licence',
    officialHeldOut: Uint32Array.from({ length: nTest }, (_, i) => nTrain + i),
  };
}
