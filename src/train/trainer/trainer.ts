import { TrainSession } from '../../runtime/train-session';
import type { ImageDataset } from '../data';
import type { RunState } from './checkpoint-state';
import type { TrainConfig } from './config';
import { TrainerCore } from './trainer-core';

export { NonFiniteLossError, type StepReport } from './trainer-core';

/** The Node trainer: Algorithm 1's loop (trainer-core.ts) on onnxruntime-node sessions. */
export type Trainer = TrainerCore;
export const Trainer = {
  create: (config: TrainConfig, dataset: ImageDataset, resume?: RunState): Promise<Trainer> =>
    TrainerCore.create(config, dataset, resume, (graph, init, threads) =>
      TrainSession.create(graph, init, { threads }),
    ),
};
