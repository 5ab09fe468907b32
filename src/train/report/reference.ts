import { Rng } from '../../core';
import { gather, heldOutSplit, SPLIT_SEED, type ImageDataset } from '../data';
import { permutation } from '../data/split';
import { FrechetReference, gaussianOf, type FeatureExtractor } from '../eval';

/** FID proxies of real images, the floor a generated set is read against. */
export interface RealReference {
  /** One half of the held-out split against the other half. */
  heldOutHalves: { fidProxy: number; n: number };
  /** n training images (never in the held-out split) against the whole held-out split: a
   * generated set of the same n cannot be expected to score lower. */
  trainVsHeldOut: { fidProxy: number; n: number };
}

/** Seeded, fixed picks: the reference must not move between two renders of the report. */
const HALVES_SEED = SPLIT_SEED + 1;
const TRAIN_PICK_SEED = SPLIT_SEED + 2;

export async function realReference(
  ds: ImageDataset,
  clf: FeatureExtractor,
  n: number,
): Promise<RealReference> {
  const { train, heldOut } = heldOutSplit(ds);
  const dim = clf.featureDim;
  const featuresOf = async (indices: Uint32Array) =>
    (await clf.run(gather(ds, indices).images, indices.length)).features;
  const order = permutation(heldOut.length, new Rng(HALVES_SEED));
  const half = Math.floor(heldOut.length / 2);
  const pick = (from: Uint32Array, perm: Uint32Array, a: number, b: number) =>
    Uint32Array.from(perm.subarray(a, b), (k) => from[k]!);
  const a = pick(heldOut, order, 0, half);
  const b = pick(heldOut, order, half, 2 * half);
  const halves = new FrechetReference(gaussianOf(await featuresOf(b), b.length, dim)).distance(
    gaussianOf(await featuresOf(a), a.length, dim),
  );
  const m = Math.min(n, train.length);
  const trainPick = pick(train, permutation(train.length, new Rng(TRAIN_PICK_SEED)), 0, m);
  const whole = new FrechetReference(gaussianOf(await featuresOf(heldOut), heldOut.length, dim));
  const trainFid = whole.distance(gaussianOf(await featuresOf(trainPick), m, dim));
  return {
    heldOutHalves: { fidProxy: halves, n: half },
    trainVsHeldOut: { fidProxy: trainFid, n: m },
  };
}
