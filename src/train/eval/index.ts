export {
  trainClassifier,
  writeClassifier,
  FeatureExtractor,
  type ClassifierInfo,
} from './classifier';
export { parseClassifierInfo } from './classifier-info';
export { trainClassifierCli } from './classifier-cli';
export {
  frechetDistance,
  FrechetReference,
  gaussianOf,
  weightedGaussian,
  type Gaussian,
} from './frechet';
export * from './bootstrap';
export {
  evaluate,
  honestNfe,
  markdownTable,
  referenceGaussian,
  sharesText,
  generateSamples,
  sampleFeatures,
  type SampledFeatures,
  toSolverResults,
  type EvalOptions,
  type EvalSetting,
} from './evaluate';
export { writeEvaluation } from './manifest-update';
export { SampleCache, type SampleRun, type SampleSet } from './sample-cache';
export { degrade, degradationLabel, DEGRADATIONS, type Degradation } from './degrade';
export { CODE_SOURCES, type CodeSource } from './data-codes';
