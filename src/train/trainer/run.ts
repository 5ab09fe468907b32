import { join } from 'node:path';
import type { NodeEp } from '../../runtime/node/ep';
import { checkImageShape, loadDataset, type ImageDataset } from '../data';
import { removeStaleTemps } from '../io/atomic';
import { checkTrainConfig, type TrainConfig } from './config';
import type { StartingModel } from './init-from';
import { lockRun, type LockHolder } from './run-lock';
import {
  CHECKPOINT_FILE,
  hasCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  writeConfig,
} from './run-folder';
import { Trainer, type StepReport } from './trainer';

export interface RunOptions {
  /** Continue from the folder's checkpoint (its config wins; `steps` may extend the run). */
  resume?: boolean;
  /**
   * On resume, move the planned end of the learning-rate decay: a `wsd` run cooled down from a
   * stable-phase checkpoint, or extended before its cool-down starts. Without it the stored
   * value stays, so a resume never bends a decay by accident.
   */
  lrDecaySteps?: number;
  /** Called after every step. */
  onStep?: (r: StepReport, t: Trainer) => void;
  /** Polled after every step; when true the run saves a checkpoint and returns. */
  shouldStop?: () => boolean;
  /** Called once the trainer exists, before the first step. */
  onStart?: (t: Trainer) => void;
  /** A dataset already in memory (tests), instead of loading config.dataset. */
  dataset?: ImageDataset;
  /** Called when the run folder's lock was left by a process that no longer runs, and is taken over. */
  onStaleLock?: (holder: LockHolder) => void;
  /**
   * A new run starts from a model's parameters (`readInitFrom`; recorded in the config as
   * `initFrom`); ignored on resume, where the checkpoint holds them.
   */
  start?: StartingModel;
  /** The execution provider (default cpu); not recorded, so a run may resume on another. */
  ep?: NodeEp;
}

export interface RunResult {
  step: number;
  interrupted: boolean;
  wallTimeSeconds: number;
  counts: { denoiser: number; encoder: number };
}

async function loadTrainingData(config: TrainConfig): Promise<ImageDataset> {
  const ds = await loadDataset(config.dataset, { dataDir: config.dataDir, limit: config.limit });
  checkImageShape(ds, config.model);
  return ds;
}

/**
 * Trains into a run folder: config.json, checkpoint.ckpt (atomic, every checkpointEvery steps,
 * on stop and at the end) and snapshots/. A non-finite loss throws NonFiniteLossError before
 * anything is written, so the last good checkpoint survives. The folder is locked for the whole
 * run (run-lock.ts): a second writer is refused with the holder's pid.
 */
export async function runTraining(
  dir: string,
  requested: TrainConfig,
  opts: RunOptions = {},
): Promise<RunResult> {
  const lock = await lockRun(dir);
  if (lock.staleHolder) opts.onStaleLock?.(lock.staleHolder);
  try {
    return await trainLocked(dir, requested, opts);
  } finally {
    await lock.release();
  }
}

async function trainLocked(
  dir: string,
  requested: TrainConfig,
  opts: RunOptions,
): Promise<RunResult> {
  let config = requested;
  let resumeFrom;
  await removeStaleTemps(join(dir, CHECKPOINT_FILE));
  if (opts.resume) {
    if (!(await hasCheckpoint(dir)))
      throw new Error(`--resume: ${dir} has no ${CHECKPOINT_FILE} to resume from`);
    const loaded = await loadCheckpoint(dir);
    config = {
      ...loaded.config,
      steps: requested.steps,
      ...(opts.lrDecaySteps !== undefined && { lrDecaySteps: opts.lrDecaySteps }),
      // A longer plan needs snapshots the first plan never asked for (its new stable end).
      snapshotAt: [...new Set([...loaded.config.snapshotAt, ...requested.snapshotAt])].sort(
        (a, b) => a - b,
      ),
    };
    resumeFrom = loaded.state;
  } else if (await hasCheckpoint(dir)) {
    throw new Error(
      `${dir} already holds a run; pass --resume to continue it or pick another --out`,
    );
  }
  checkTrainConfig(config);
  const start = opts.resume ? undefined : opts.start;
  if (start) config = { ...config, initFrom: start.initFrom };
  const dataset = opts.dataset ?? (await loadTrainingData(config));
  checkImageShape(dataset, config.model);
  await writeConfig(dir, config);
  const trainer = await Trainer.create(config, dataset, resumeFrom, opts.ep, start?.params);
  const save = () =>
    saveCheckpoint(
      dir,
      config,
      trainer.state(),
      trainer.tensorShapes,
      config.snapshotAt.includes(trainer.step),
    );
  opts.onStart?.(trainer);
  let interrupted = false;
  try {
    while (trainer.step < config.steps) {
      const r = await trainer.trainStep();
      opts.onStep?.(r, trainer);
      if (opts.shouldStop?.()) {
        interrupted = true;
        await save();
        break;
      }
      if (
        r.step % config.checkpointEvery === 0 ||
        config.snapshotAt.includes(r.step) ||
        r.step === config.steps
      )
        await save();
    }
    return {
      step: trainer.step,
      interrupted,
      wallTimeSeconds: trainer.wallTimeSeconds,
      counts: trainer.counts,
    };
  } finally {
    await trainer.release();
  }
}
