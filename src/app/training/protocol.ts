import type { ImageShape } from '../../core';
import type { BackendChoice } from '../state/settings';
import type { TrainBackend } from './backend';
import type { BrowserTrainOptions } from './config';
import type { PreparedUploads } from './data/uploads';

/** One model's progress, as the Train panel shows it. */
interface ModelProgress {
  step: number;
  loss: number;
}

/** Every step's loss of a run, from step 1: index k is step k + 1. */
export interface LossHistory {
  qac: number[];
  baseline: number[];
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
  /** What the steps run on, and why not WebGPU. */
  backend: TrainBackend;
}

/** The data a run trains on, as the panel describes it, with its first few images. */
export interface TrainDataInfo {
  /** The dataset name cards record (mnist, avatars, folder). */
  name: string;
  /** Where it came from (package versions), as cards record it. */
  source: string;
  count: number;
  shape: ImageShape;
  /** The first `previewCount` images, [n, C, H, W] in [-1, 1]. */
  preview: Float32Array<ArrayBuffer>;
  previewCount: number;
}

/**
 * The training worker's requests, in the shape both workers speak (worker/client.ts): each has an
 * id, `start` streams its parts (TRAIN_PARTS) and ends with `stopped`; a `cancel` of a start stops
 * the run after the step in flight, and the start still ends with `stopped` (what is saved).
 */
export type TrainRequest =
  | {
      type: 'start';
      id: number;
      options: BrowserTrainOptions;
      digitUrls: string[];
      /** The prepared images of an uploads run (ignored when a saved run resumes). */
      uploads: PreparedUploads | null;
      /** The settings' backend (the sampler's): 'auto' trains on WebGPU when there is an adapter. */
      backend: BackendChoice;
      /** The tab asking, named in what the worker tells other tabs (training/lock.ts RunNews). */
      tab: string;
    }
  /** Both models as model folders in one zip (after the step in flight). */
  | { type: 'export'; id: number }
  /** Forgets the saved run: the next start begins at step 0. */
  | { type: 'reset'; id: number; tab: string }
  | { type: 'cancel'; id: number };

export type TrainResponse =
  /** A session began: the options it runs (a resumed run's own), its data and its losses so far. */
  | {
      type: 'started';
      id: number;
      options: BrowserTrainOptions;
      data: TrainDataInfo;
      losses: LossHistory;
    }
  | { type: 'status'; id: number; status: TrainStatus }
  /** QAC samples of the EMA model at `step` ([count, C, H, W] in [-1, 1], the run's shape). */
  | {
      type: 'sample';
      id: number;
      step: number;
      images: Float32Array<ArrayBuffer>;
      count: number;
      shape: ImageShape;
    }
  /**
   * The loop ended: stopped, finished, or stopped by a failed save (`saveError` says which
   * checkpoint survives). `saved` is the step the saved run holds (null: none of this run).
   */
  | {
      type: 'stopped';
      id: number;
      status: TrainStatus | null;
      finished: boolean;
      saved: number | null;
      saveError: string | null;
    }
  | { type: 'exported'; id: number; zip: Uint8Array<ArrayBuffer>; name: string }
  | { type: 'discarded'; id: number }
  | { type: 'error'; id: number; message: string };

/** What a start streams before `stopped`. */
export const TRAIN_PARTS = ['started', 'status', 'sample'] as const;

export interface TrainProtocol {
  request: Exclude<TrainRequest, { type: 'cancel' }>;
  reply: TrainResponse;
  event: never;
  ends: { start: 'stopped'; export: 'exported'; reset: 'discarded' };
  parts: (typeof TRAIN_PARTS)[number];
}
