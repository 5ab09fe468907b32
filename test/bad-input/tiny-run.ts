import { presetFor } from '../../src/train/model';
import { DEFAULT_TRAIN, runTraining } from '../../src/train/trainer';

/**
 * The smallest real run for tests that need a checkpoint: the tiny preset, 2 steps of batch 8 on
 * 64 MNIST digits, one thread (a few seconds), with checkpoint.ckpt at step 2 in `dir`.
 */
export async function trainTinyRun(dir: string): Promise<void> {
  await runTraining(dir, {
    ...DEFAULT_TRAIN,
    ...{ dataset: 'mnist', limit: 64, mode: 'qac', preset: 'tiny', model: presetFor('tiny') },
    ...{ batch: 8, steps: 2, warmupSteps: 0, checkpointEvery: 2, threads: 1 },
  });
}
