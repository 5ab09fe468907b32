import { Rng } from '../../core';
import { permutation } from './split';
import type { ImageDataset } from './types';

/** Where a BatchOrder stands; stored in checkpoints so a resumed run sees the same batches. */
export interface BatchOrderState {
  epoch: number;
  position: number;
}

/** Streams offset so the data order never shares a generator with the held-out split. */
const EPOCH_STREAM_BASE = 1 << 20;

/**
 * Seeded, reproducible batch order over a set of indices: each epoch is a fresh permutation drawn
 * from (seed, epoch) alone, so the order depends only on the seed and the position, never on
 * how the run was interrupted and resumed.
 */
export class BatchOrder {
  private epochOrder: Uint32Array;
  private epoch: number;
  private position: number;

  constructor(
    private readonly indices: Uint32Array,
    private readonly batchSize: number,
    private readonly seed: number,
    state: BatchOrderState = { epoch: 0, position: 0 },
  ) {
    if (indices.length === 0) throw new Error('BatchOrder: no indices to draw batches from');
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`BatchOrder: batch size ${batchSize} is not a positive integer`);
    if (!(state.position >= 0 && state.position < indices.length)) {
      throw new Error(`BatchOrder: position ${state.position} outside 0..${indices.length - 1}`);
    }
    this.epoch = state.epoch;
    this.position = state.position;
    this.epochOrder = this.orderOf(this.epoch);
  }

  private orderOf(epoch: number): Uint32Array {
    const perm = permutation(this.indices.length, new Rng(this.seed, EPOCH_STREAM_BASE + epoch));
    return perm.map((k) => this.indices[k]!);
  }

  get state(): BatchOrderState {
    return { epoch: this.epoch, position: this.position };
  }

  /** The next batch of dataset indices; a batch that runs past an epoch continues in the next. */
  next(): Uint32Array {
    const out = new Uint32Array(this.batchSize);
    for (let k = 0; k < this.batchSize; k++) {
      out[k] = this.epochOrder[this.position]!;
      if (++this.position === this.epochOrder.length) {
        this.position = 0;
        this.epochOrder = this.orderOf(++this.epoch);
      }
    }
    return out;
  }
}

/** Copies the images and labels at `indices` into a contiguous batch. */
export function gather(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
): { images: Float32Array; labels: Int32Array } {
  const size = dataset.channels * dataset.height * dataset.width;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < dataset.count))
      throw new Error(`${dataset.name}: index ${i} outside 0..${dataset.count - 1}`);
    images.set(dataset.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = dataset.labels[i]!;
  }
  return { images, labels };
}
