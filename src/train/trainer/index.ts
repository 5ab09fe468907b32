export {
  DEFAULT_TRAIN,
  LR_SCHEDULES,
  type LrSchedule,
  type NoiseMix,
  type TrainConfig,
} from './config';
export { NonFiniteLossError } from './trainer';
export { runTraining } from './run';
export { DEFAULT_RUNS_DIR, CHECKPOINT_FILE, resolveRunDir, loadCheckpoint } from './run-folder';
export { readInitFrom } from './init-from';
