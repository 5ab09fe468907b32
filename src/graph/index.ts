/** Public API of the ONNX graph builder. See README.md in this folder. */
export { Graph, Tensor } from './graph';
export type { DType, Shape } from './types';
export { Params, type ParamValues } from './params';
export { kaiming, initValues } from './init';
export {
  ADAM_GROUP,
  buildTrainingStep,
  buildGradientGraph,
  type AdamOptions,
  type StepGraph,
} from './step';
export { exportModel, forwardModel } from './export';
export type { ModelGraph, TensorInfo } from './serialize';
export * as op from './ops';
