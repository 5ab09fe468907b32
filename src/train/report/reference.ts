import { Rng } from '../../core';
import { gather, heldOutSplit, SPLIT_SEED, type ImageDataset } from '../data';
import { permutation } from '../data/split';
import {
  degrade,
  DEGRADATIONS,
  FrechetReference,
  gaussianOf,
  type Degradation,
  type FeatureExtractor,
} from '../eval';

/** FID proxies of real images, the floor a generated set is read against. */
export interface RealReference {
  /** One half of the held-out split against the other half. */
  heldOutHalves: { fidProxy: number; n: number };
  /** n training images (never in the held-out split) against the whole held-out split: a
   * generated set of the same n cannot be expected to score lower. */
  trainVsHeldOut: { fidProxy: number; n: number };
  /** The first half damaged by each of DEGRADATIONS, against the second: the yardstick's check
   * that blur and noise, which a viewer sees, move it far above heldOutHalves. */
  degraded: { degradation: Degradation; fidProxy: number }[];
}

/** Seeded, fixed picks: the reference must not move between two renders of the report. */
const HALVES_SEED = SPLIT_SEED + 1;
const TRAIN_PICK_SEED = SPLIT_SEED + 2;
const NOISE_SEED = SPLIT_SEED + 3;

const shapeOf = (ds: ImageDataset) => ({
  channels: ds.channels,
  height: ds.height,
  width: ds.width,
});

export async function realReference(
  ds: ImageDataset,
  clf: FeatureExtractor,
  n: number,
): Promise<RealReference> {
  const { heldOut } = heldOutSplit(ds);
  const dim = clf.featureDim;
  const gaussianOfImages = async (images: Float32Array, count: number) =>
    gaussianOf((await clf.run(images, count)).features, count, dim);
  const gaussianOfIndices = (indices: Uint32Array) =>
    gaussianOfImages(gather(ds, indices).images, indices.length);
  const order = permutation(heldOut.length, new Rng(HALVES_SEED));
  const half = Math.floor(heldOut.length / 2);
  const pick = (from: Uint32Array, perm: Uint32Array, a: number, b: number) =>
    Uint32Array.from(perm.subarray(a, b), (k) => from[k]!);
  const a = pick(heldOut, order, 0, half);
  const second = new FrechetReference(
    await gaussianOfIndices(pick(heldOut, order, half, 2 * half)),
  );
  const first = { images: gather(ds, a).images, n: half, ...shapeOf(ds) };
  const halves = second.distance(await gaussianOfImages(first.images, half));
  const degraded: RealReference['degraded'] = [];
  for (const degradation of DEGRADATIONS) {
    const damaged = degrade(first, degradation, NOISE_SEED);
    degraded.push({
      degradation,
      fidProxy: second.distance(await gaussianOfImages(damaged, half)),
    });
  }
  return {
    heldOutHalves: { fidProxy: halves, n: half },
    trainVsHeldOut: await trainFloor(ds, clf, n),
    degraded,
  };
}

/**
 * n training images (a fixed, seeded pick) against the whole held-out split: what a perfect
 * generator's n samples would score, since the FID proxy of a finite set is biased upwards.
 */
export async function trainFloor(
  ds: ImageDataset,
  clf: FeatureExtractor,
  n: number,
): Promise<{ fidProxy: number; n: number }> {
  const { train, heldOut } = heldOutSplit(ds);
  const gaussianOfIndices = async (indices: Uint32Array) =>
    gaussianOf(
      (await clf.run(gather(ds, indices).images, indices.length)).features,
      indices.length,
      clf.featureDim,
    );
  const m = Math.min(n, train.length);
  const order = permutation(train.length, new Rng(TRAIN_PICK_SEED));
  const trainPick = Uint32Array.from(order.subarray(0, m), (k) => train[k]!);
  const whole = new FrechetReference(await gaussianOfIndices(heldOut));
  return { fidProxy: whole.distance(await gaussianOfIndices(trainPick)), n: m };
}
