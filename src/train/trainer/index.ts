export {
  DEFAULT_TRAIN,
  LR_SCHEDULES,
  checkTrainConfig,
  type LrSchedule,
  type TrainConfig,
} from './config';
export { Trainer, NonFiniteLossError, type StepReport } from './trainer';
export { runTraining, loadTrainingData, type RunOptions, type RunResult } from './run';
export {
  DEFAULT_RUNS_DIR,
  CHECKPOINT_FILE,
  CONFIG_FILE,
  SNAPSHOT_DIR,
  snapshotName,
  resolveRunDir,
  loadCheckpoint,
} from './run-folder';
export type { RunState } from './checkpoint-state';
