export type {
  SolverName,
  Denoise,
  StepInfo,
  ChurnOptions,
  SampleOptions,
  SampleResult,
} from './types';
export {
  karrasSigmas,
  logSnrSigmas,
  timeUniformSigmas,
  makeSigmas,
  validateSigmas,
  MAX_STEPS,
  type GridEnd,
  type ScheduleName,
  type ScheduleOptions,
} from './schedule';
export { sample, sampleWith, type VecSampleOptions, type VecSampleResult } from './sample';
export type { VecOps } from './vec';
export { SOLVER_NAMES, DETERMINISTIC, isSolverName } from './solvers';
export { nfeForSteps, stepsForNfe, achievableNfes } from './nfe';
export { Rng, Stream, type StreamId, sampleSeeds, sampleRngs, initialNoise } from './rng';
export {
  quantize,
  packIndex,
  unpackIndex,
  levelsToSigned,
  signedToLevels,
  indexToBits,
  checkCodeShape,
} from './fsq';
export {
  parseWeights,
  serializeWeights,
  sparseWeights,
  sparseFromDense,
  topK,
  entropy,
  type SparseWeights,
} from './codebook';
export { AliasSampler, CodeSampler } from './alias';
export {
  trajectoryCurvature,
  projectTrajectory,
  type Curvature,
  type TrajectoryStep,
  type PlanePoint,
} from './curvature';
export {
  inpainting,
  colorization,
  superResolution,
  upsampleNearest,
  type EditOperator,
  type ImageShape,
} from './editOperators';
export { edit, type EditOptions, type EditResult, type CodeDenoise, type Encode } from './edit';
