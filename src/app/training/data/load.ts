import type { ImageDataset } from '../../../train/data/types';
import { mnistFromDigits } from '../../../train/data/mnist-digits';
import { BROWSER_DATA, type TrainData } from '../config';
import { uploadsDataset, type PreparedUploads } from './uploads';

async function fetchDigits(urls: string[]): Promise<unknown[]> {
  return Promise.all(
    urls.map(async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return res.json() as Promise<unknown>;
    }),
  );
}

/** A run's dataset, in the worker: fetched (digits), rendered (avatars) or handed over (uploads). */
export async function loadTrainData(
  data: TrainData,
  digitUrls: string[],
  uploads: PreparedUploads | null | undefined,
): Promise<ImageDataset> {
  switch (data) {
    case 'mnist':
      return mnistFromDigits(await fetchDigits(digitUrls));
    case 'avatars':
      // A chunk of its own: DiceBear and resvg-wasm load only for an avatars run.
      return (await import('./avatars')).browserAvatars(BROWSER_DATA.avatars.limit);
    case 'uploads':
      if (!uploads) throw new Error('this run trains on uploaded images: pick them first');
      return uploadsDataset(uploads);
  }
}
