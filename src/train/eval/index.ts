export {
  trainClassifier,
  writeClassifier,
  FeatureExtractor,
  type ClassifierInfo,
} from './classifier';
export { trainClassifierCli } from './classifier-cli';
export { frechetDistance, gaussianOf } from './frechet';
export {
  evaluate,
  honestNfe,
  markdownTable,
  referenceGaussian,
  toSolverResults,
  type EvalOptions,
  type EvalSetting,
} from './evaluate';
export { writeEvaluation } from './manifest-update';
