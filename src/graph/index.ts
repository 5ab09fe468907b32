/** Public API of the ONNX graph builder. See README.md in this folder. */
export { Graph, GraphError, Tensor, type Node, type TensorRole } from './graph';
export type { DType, Shape, FloatArray } from './types';
export { Params, type ParamSpec, type ParamValues, type ParamMode } from './params';
export { kaiming, initValues, type Init } from './init';
export { grad, DIFFERENTIABLE_OPS } from './grad/grad';
export {
  ADAM_GROUP,
  buildTrainingStep,
  buildGradientGraph,
  LR_INPUT,
  STEP_INPUT,
  type AdamOptions,
  type StateSlot,
  type StepGraph,
  type StepOptions,
} from './step';
export { exportModel, forwardModel, EXPORT_OPS } from './export';
export { OPSET, type ModelGraph, type TensorInfo } from './serialize';
export * as op from './ops';
