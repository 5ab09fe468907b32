import type { NodeEp } from '../../runtime/node/ep';
import { TrainSession } from '../../runtime/train-session';
import type { ImageDataset } from '../data';
import type { RunState } from './checkpoint-state';
import type { TrainConfig } from './config';
import { TrainerCore } from './trainer-core';

export { NonFiniteLossError, type StepReport } from './trainer-core';

/**
 * The Node trainer: Algorithm 1's loop (trainer-core.ts) on onnxruntime-node sessions, on the
 * CPU or the GPU (`ep`). The EP is no part of the run: its checkpoints resume on either.
 */
export type Trainer = TrainerCore;
export const Trainer = {
  create: (
    config: TrainConfig,
    dataset: ImageDataset,
    resume?: RunState,
    ep: NodeEp = 'cpu',
    start?: ReadonlyMap<string, Float32Array>,
  ): Promise<Trainer> =>
    TrainerCore.create(
      config,
      dataset,
      resume,
      (graph, init, threads) => TrainSession.create(graph, init, { threads, ep }),
      start,
    ),
};
