import { Rng } from '../../core';
import type { ImageDataset } from './types';

/**
 * The fixed held-out split used for every evaluation: the dataset's official test set when it has
 * one, otherwise a random `fraction` of the images chosen by a Fisher-Yates shuffle with a fixed
 * seed. The seed is part of the format: changing it would silently change every FID-proxy number,
 * so it is a constant, not an option.
 */
export const SPLIT_SEED = 20_240_917;
const HELD_OUT_FRACTION = 0.1;

export interface Split {
  /** Sorted indices used for training. */
  train: Uint32Array;
  /** Sorted indices kept for evaluation only. */
  heldOut: Uint32Array;
}

/** A seeded random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

export function heldOutSplit(dataset: Pick<ImageDataset, 'count' | 'officialHeldOut'>): Split {
  const { count } = dataset;
  const held = new Uint8Array(count);
  if (dataset.officialHeldOut) {
    for (const i of dataset.officialHeldOut) held[i] = 1;
  } else {
    const perm = permutation(count, new Rng(SPLIT_SEED));
    const n = Math.round(count * HELD_OUT_FRACTION);
    for (let k = 0; k < n; k++) held[perm[k]!] = 1;
  }
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < count; i++) (held[i] ? heldOut : train).push(i);
  if (train.length === 0) throw new Error(`dataset of ${count} images is too small to split`);
  return { train: Uint32Array.from(train), heldOut: Uint32Array.from(heldOut) };
}
