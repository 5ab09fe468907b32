import { GraphError, type Graph, type Tensor } from './graph';
import { serialize, type ModelGraph } from './serialize';

/**
 * Ops an exported model may contain: each is in onnxruntime-web's WebGPU operator list
 * (js/web/docs/webgpu-operators.md, 1.30) at opset 17, and the wasm EP runs every standard op.
 * Min and Max are absent from the WebGPU list, so exported graphs use Clip instead.
 */
const EXPORT_OPS: ReadonlySet<string> = new Set([
  'Add',
  'Cast',
  'Clip',
  'Concat',
  'Conv',
  'ConvTranspose',
  'Cos',
  'Div',
  'Equal',
  'Exp',
  'Expand',
  'Floor',
  'Gemm',
  'GlobalAveragePool',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'Log',
  'MatMul',
  'Mul',
  'Neg',
  'Pad',
  'Pow',
  'ReduceMean',
  'ReduceSum',
  'Relu',
  'Reshape',
  'Resize',
  'Sigmoid',
  'Sin',
  'Slice',
  'Split',
  'Sqrt',
  'Sub',
  'Tanh',
  'Transpose',
  'Where',
]);

/**
 * Serialise the forward graph for inference (onnxruntime-web, WebGPU or wasm). The model must
 * have been built with `Params.create(g, { kind: 'export', values })` so that parameters are
 * initializers; only ops from EXPORT_OPS are accepted.
 */
export function exportModel(
  g: Graph,
  outputs: Readonly<Record<string, Tensor>>,
  name = 'model',
  opts: { readonly dynamicBatch?: string } = {},
): ModelGraph {
  const ser = serialize(g, {
    outputs,
    allowedOps: EXPORT_OPS,
    graphName: name,
    dynamicBatch: opts.dynamicBatch,
  });
  const params = g.tensors.filter(
    (t) => t.role === 'param' && ser.inputs.some((i) => i.name === t.name),
  );
  if (params.length > 0) {
    throw new GraphError(
      `export: parameter '${params[0]!.name}' is a graph input; build the model with Params mode 'export'`,
    );
  }
  return ser;
}

/** Serialise the forward graph as it is (parameters stay inputs in training mode). */
export function forwardModel(
  g: Graph,
  outputs: Readonly<Record<string, Tensor>>,
  name = 'forward',
): ModelGraph {
  return serialize(g, { outputs, graphName: name });
}
