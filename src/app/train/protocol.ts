import type { BrowserTrainOptions } from './config';

/** One model's progress, as the Train panel shows it. */
export interface ModelProgress {
  step: number;
  loss: number;
}

export interface TrainStatus {
  qac: ModelProgress;
  baseline: ModelProgress;
  /**
   * Training images per second over both models (each step trains `batch` images per model),
   * over this session's steps after its first two (which also build ORT's kernels).
   */
  imagesPerSec: number;
  steps: number;
  /** The step this session started from: above 0 when it resumed a saved run. */
  resumedFrom: number;
}

export type TrainRequest =
  | { type: 'start'; options: BrowserTrainOptions; digitUrls: string[] }
  | { type: 'stop' }
  /** Both models as model folders in one zip (after the step in flight). */
  | { type: 'export' }
  /** Forgets the saved run: the next start begins at step 0. */
  | { type: 'reset' };

export type TrainResponse =
  | { type: 'status'; status: TrainStatus }
  | { type: 'stopped'; status: TrainStatus | null; finished: boolean }
  | { type: 'exported'; zip: Uint8Array<ArrayBuffer>; name: string }
  /** QAC samples of the EMA model at `step` ([count, 1, 28, 28] in [-1, 1]). */
  | { type: 'sample'; step: number; images: Float32Array<ArrayBuffer>; count: number }
  | { type: 'reset' }
  | { type: 'error'; message: string };
