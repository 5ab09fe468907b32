export * from './config';
export { SIGMA_DATA } from './precond';
export {
  trainGraph,
  denoiserGraph,
  encoderGraph,
  parameterCounts,
  FEED,
  IO,
  ENCODER_SCOPE,
} from './networks';
