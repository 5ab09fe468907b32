import type { BrowserTrainOptions } from './config';

/** One model's progress, as the Train panel shows it. */
export interface ModelProgress {
  step: number;
  loss: number;
}

export interface TrainStatus {
  qac: ModelProgress;
  baseline: ModelProgress;
  /** Training images per second over both models (each step trains `batch` images per model). */
  imagesPerSec: number;
  steps: number;
}

export type TrainRequest =
  { type: 'start'; options: BrowserTrainOptions; digitUrls: string[] } | { type: 'stop' };

export type TrainResponse =
  | { type: 'status'; status: TrainStatus }
  | { type: 'stopped'; status: TrainStatus | null; finished: boolean }
  | { type: 'error'; message: string };
