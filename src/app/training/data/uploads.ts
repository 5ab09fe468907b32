// The user's own images as training data. The page decodes and fits them (the upload checks and
// messages of the editing panel's upload, src/app/images), the worker trains on the tensor, and
// the saved run keeps the tensor, so a resumed run needs no second pick.
import type { ImageShape } from '../../../core';
import type { ImageDataset } from '../../../train/data/types';
import { decodeUpload } from '../../images/decode';

/** Uploads are 32x32 RGB, the shape of the `tiny-rgb` and `rgb32` presets. */
const UPLOAD_SHAPE: ImageShape = { channels: 3, height: 32, width: 32 };
/**
 * Fewest readable images a run takes: 10% of them are held out (the Node trainer's split), and
 * below eight the model only memorises a handful of pictures.
 */
export const MIN_UPLOADS = 8;
/** Most images a pick may hold: 2,000 x 3 x 32 x 32 floats are 24 MB, kept in IndexedDB too. */
export const MAX_UPLOADS = 2000;

/** Uploaded images, decoded and fitted: [count, 3, 32, 32] in [-1, 1]. */
export interface PreparedUploads {
  images: Float32Array<ArrayBuffer>;
  count: number;
}

/**
 * Decodes a pick of files. Unreadable files are named in `problems` and left out; a pick with
 * fewer than MIN_UPLOADS readable images (or more than MAX_UPLOADS files) gives `uploads: null`,
 * so the caller keeps what it had.
 */
export async function prepareUploads(
  files: readonly File[],
): Promise<{ uploads: PreparedUploads | null; problems: string[] }> {
  if (files.length > MAX_UPLOADS) {
    return {
      uploads: null,
      problems: [`${files.length} files picked: at most ${MAX_UPLOADS} images can be trained on`],
    };
  }
  const per = UPLOAD_SHAPE.channels * UPLOAD_SHAPE.height * UPLOAD_SHAPE.width;
  const tensors: Float32Array[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      tensors.push((await decodeUpload(file, UPLOAD_SHAPE)).tensor);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (tensors.length < MIN_UPLOADS) {
    problems.push(
      `training on your images needs at least ${MIN_UPLOADS} readable images; ` +
        `this pick has ${tensors.length}`,
    );
    return { uploads: null, problems };
  }
  const images = new Float32Array(tensors.length * per);
  tensors.forEach((t, i) => images.set(t, i * per));
  return { uploads: { images, count: tensors.length }, problems };
}

/** The run's dataset: Node's `folder` dataset of one class (cards name no file or path). */
export function uploadsDataset(u: PreparedUploads): ImageDataset {
  return {
    name: 'folder',
    ...UPLOAD_SHAPE,
    count: u.count,
    images: u.images,
    labels: new Int32Array(u.count),
    classNames: ['uploads'],
    source: `${u.count} uploaded images`,
  };
}
