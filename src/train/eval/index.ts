export {
  trainClassifier,
  writeClassifier,
  FeatureExtractor,
  type ClassifierInfo,
} from './classifier';
export { FrechetReference, gaussianOf } from './frechet';
export * from './bootstrap';
export {
  evaluate,
  honestNfe,
  markdownTable,
  referenceGaussian,
  sharesText,
  generateSamples,
  sampleFeatures,
  toSolverResults,
  type EvalSetting,
} from './evaluate';
export { writeEvaluation } from './manifest-update';
export { SampleCache } from './sample-cache';
export { degrade, degradationLabel, DEGRADATIONS, type Degradation } from './degrade';
export { CODE_SOURCES, type CodeSource } from './data-codes';
