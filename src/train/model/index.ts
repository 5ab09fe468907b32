export * from './config';
export { SIGMA_DATA } from './precond';
export {
  denoiser,
  trainGraph,
  denoiserGraph,
  encoderGraph,
  parameterCounts,
  FEED,
  IO,
  DENOISER_SCOPE,
  ENCODER_SCOPE,
  type TrainGraph,
  type InferenceGraph,
} from './networks';
