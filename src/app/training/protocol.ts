import type { ImageShape } from '../../core';
import type { BackendChoice } from '../state/settings';
import type { TrainBackend } from './backend';
import type { BrowserTrainOptions } from './config';
import type { PreparedUploads } from './data/uploads';

/** One model's progress, as the Train panel shows it. */
export interface ModelProgress {
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

export type TrainRequest =
  | {
      type: 'start';
      options: BrowserTrainOptions;
      digitUrls: string[];
      /** The prepared images of an uploads run (ignored when a saved run resumes). */
      uploads: PreparedUploads | null;
      /** The settings' backend (the sampler's): 'auto' trains on WebGPU when there is an adapter. */
      backend: BackendChoice;
      /** The tab asking, named in what the worker tells other tabs (training/lock.ts RunNews). */
      tab: string;
    }
  | { type: 'stop' }
  /** Both models as model folders in one zip (after the step in flight). */
  | { type: 'export' }
  /** Forgets the saved run: the next start begins at step 0. */
  | { type: 'reset'; tab: string };

export type TrainResponse =
  /** A session began: the options it runs (a resumed run's own), its data and its losses so far. */
  | {
      type: 'started';
      options: BrowserTrainOptions;
      data: TrainDataInfo;
      losses: LossHistory;
    }
  | { type: 'status'; status: TrainStatus }
  /**
   * The loop ended: stopped, finished, or stopped by a failed save (`saveError` says which
   * checkpoint survives). `saved` is the step the saved run holds (null: none of this run).
   */
  | {
      type: 'stopped';
      status: TrainStatus | null;
      finished: boolean;
      saved: number | null;
      saveError: string | null;
    }
  | { type: 'exported'; zip: Uint8Array<ArrayBuffer>; name: string }
  /** QAC samples of the EMA model at `step` ([count, C, H, W] in [-1, 1], the run's shape). */
  | {
      type: 'sample';
      step: number;
      images: Float32Array<ArrayBuffer>;
      count: number;
      shape: ImageShape;
    }
  | { type: 'reset' }
  | { type: 'error'; message: string };
