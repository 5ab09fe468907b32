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
export {
  planRun,
  samplePlan,
  samplePlanWith,
  type PlanModel,
  type RunPlan,
  type RunSettings,
  type RunIo,
  type VecSampleResult,
} from './run';
export { sample, sampleWith, type VecSampleOptions } from './sample';
export type { VecOps } from './vec';
export { SOLVERS, SOLVER_NAMES, isSolverName, solverFacts } from './solvers';
export type { SolverDef } from './solvers/solverDef';
export { nfeForSteps, stepsForNfe, achievableNfes, snapNfe } from './nfe';
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
export {
  edit,
  knownPart,
  type EditOptions,
  type EditResult,
  type CodeDenoise,
  type Encode,
} from './edit';
