import { checkModelConfig, MODES, type ModelConfig, type Mode } from '../model';

/**
 * The learning rate after warm-up: held (`constant`), a half cosine from `lr` to 0 at
 * `lrDecaySteps` (`cosine`), EDM2's inverse square root, lr / sqrt(max(step / lrDecaySteps, 1))
 * (`rsqrt`), or held and then cooled down linearly to 0 over the last WSD_COOLDOWN of
 * `lrDecaySteps` (`wsd`, warm-up/stable/decay: any stable-phase checkpoint can start a cool-down).
 */
export const LR_SCHEDULES = ['constant', 'cosine', 'rsqrt', 'wsd'] as const;
export const WSD_COOLDOWN = 0.2;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/**
 * The model folder a run started from instead of a random initialisation (`--init-from`): a shipped
 * model continued under a new recipe. Its steps and wall time count towards the exported model's.
 */
export interface InitFrom {
  model: string;
  /** The folder as given, for a restart of the run from its config.json. */
  path: string;
  /** Of its denoiser.onnx, naming the exact model. */
  sha256: string;
  steps: number;
  wallTimeSeconds: number;
}

/** Everything a run needs to be restarted from scratch; stored as the run's config.json. */
export interface TrainConfig {
  dataset: string;
  /** Folder with the raw data, for datasets that read one (fashion-mnist, folder). */
  dataDir?: string;
  /** Use only the first `limit` images of the dataset (smoke tests). */
  limit?: number;
  mode: Mode;
  preset: string;
  model: ModelConfig;
  seed: number;
  batch: number;
  /** Total optimiser steps of the run. */
  steps: number;
  lr: number;
  /** Linear learning-rate warm-up over this many steps. */
  warmupSteps: number;
  lrSchedule: LrSchedule;
  /**
   * Fixed when the run starts and kept on resume, so extending `steps` never bends a decay that
   * is under way: the cosine's end, or the rsqrt's reference step.
   */
  lrDecaySteps: number;
  /** ln(sigma) ~ N(pMean, pStd^2) (docs/math.md §1). */
  pMean: number;
  pStd: number;
  /**
   * A second component of the noise density: with probability `share`, ln(sigma) ~ N(mean, std^2)
   * instead. It adds draws in a range EDM's density rarely visits without giving up its low-noise
   * ones (models/report/notes.md); absent, the density is the single normal above.
   */
  pMix?: NoiseMix;
  /**
   * Rescale gradients whose global norm exceeds this; null (the default) never clips. A global clip
   * lets a spike in the encoder's gradients (through the straight-through code) freeze the
   * denoiser's updates too, and Adam already bounds each parameter's step, so it is off by default.
   */
  clipGradNorm: number | null;
  /** EMA half-life in training images, as in EDM... */
  emaHalfLifeImages: number;
  /** ...but never longer than this fraction of the images seen so far (EDM's ramp-up). */
  emaRampup: number;
  /** Write a checkpoint every this many steps (and at the end). */
  checkpointEvery: number;
  /** Steps at which a copy of the checkpoint is kept under snapshots/ (e.g. for evaluation). */
  snapshotAt: number[];
  /** onnxruntime intra-op threads. */
  threads: number;
  initFrom?: InitFrom;
}

export interface NoiseMix {
  share: number;
  mean: number;
  std: number;
}

export const DEFAULT_TRAIN: Omit<TrainConfig, 'dataset' | 'mode' | 'preset' | 'model'> = {
  seed: 0,
  batch: 32,
  steps: 2000,
  lr: 2e-3,
  warmupSteps: 100,
  // The recipe of issue 19 (models/report/notes.md, "Recipe search"): at 2,000-2,500 steps more
  // steps at the full rate helped most, a cool-down at the end a little, a cosine from the start
  // and the rsqrt decay cost progress; so hold the rate and cool down over the last 20%.
  lrSchedule: 'wsd',
  lrDecaySteps: 2000,
  pMean: -1.2,
  pStd: 1.2,
  clipGradNorm: null,
  // EDM's EMA: a half-life of 500k images, at most 5% of the images seen so far.
  emaHalfLifeImages: 500_000,
  emaRampup: 0.05,
  checkpointEvery: 100,
  snapshotAt: [],
  threads: 2,
};

/** Refuses a config that cannot train, naming the field. */
export function checkTrainConfig(c: TrainConfig): void {
  if (!MODES.includes(c.mode))
    throw new Error(`mode "${c.mode}" is not one of ${MODES.join(', ')}`);
  checkModelConfig(c.model);
  const posInt = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what} = ${v} must be a positive integer`);
  };
  posInt(c.batch, 'batch');
  posInt(c.steps, 'steps');
  posInt(c.checkpointEvery, 'checkpointEvery');
  posInt(c.threads, 'threads');
  posInt(c.lrDecaySteps, 'lrDecaySteps');
  if (!LR_SCHEDULES.includes(c.lrSchedule))
    throw new Error(`lrSchedule "${c.lrSchedule}" is not one of ${LR_SCHEDULES.join(', ')}`);
  if (!Number.isInteger(c.warmupSteps) || c.warmupSteps < 0)
    throw new Error(`warmupSteps = ${c.warmupSteps} must be an integer >= 0`);
  if (!Number.isSafeInteger(c.seed) || c.seed < 0)
    throw new Error(`seed = ${c.seed} must be an integer >= 0`);
  for (const [v, what] of [
    [c.lr, 'lr'],
    [c.pStd, 'pStd'],
    ...(c.clipGradNorm === null ? [] : [[c.clipGradNorm, 'clipGradNorm'] as const]),
    [c.emaHalfLifeImages, 'emaHalfLifeImages'],
    [c.emaRampup, 'emaRampup'],
  ] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`${what} = ${v} must be a positive number`);
  }
  if (!Number.isFinite(c.pMean)) throw new Error(`pMean = ${c.pMean} must be a number`);
  if (c.pMix) {
    const { share, mean, std } = c.pMix;
    if (!(share > 0 && share < 1)) throw new Error(`pMix.share = ${share} must be in (0, 1)`);
    if (!Number.isFinite(mean)) throw new Error(`pMix.mean = ${mean} must be a number`);
    if (!(Number.isFinite(std) && std > 0))
      throw new Error(`pMix.std = ${std} must be a positive number`);
  }
}

/**
 * A config read back from a checkpoint or config.json: runs from before the learning-rate
 * schedule existed trained at a constant rate, so they resume at one.
 */
export function withLegacyDefaults(
  c: Omit<TrainConfig, 'lrSchedule' | 'lrDecaySteps'> &
    Partial<Pick<TrainConfig, 'lrSchedule' | 'lrDecaySteps'>>,
): TrainConfig {
  return { ...c, lrSchedule: c.lrSchedule ?? 'constant', lrDecaySteps: c.lrDecaySteps ?? c.steps };
}
