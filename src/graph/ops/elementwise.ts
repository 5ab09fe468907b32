import type { Graph, Tensor } from '../graph';
import type { DType } from '../types';
import {
  asTensor,
  broadcastShapes,
  firstTensor,
  graphOf,
  requireFloat,
  requireSameDtype,
  type Operand,
} from './common';

/** A broadcasting two-input op; the result has the inputs' dtype unless `dtype` says otherwise. */
export function binary(op: string, a: Operand, b: Operand, dtype?: DType): Tensor {
  const g = graphOf(a, b);
  const like = firstTensor(a, b);
  const ta = asTensor(g, a, like);
  const tb = asTensor(g, b, like);
  const node = g.nextNodeName(op);
  requireSameDtype(node, ta, tb);
  const shape = broadcastShapes(node, ta.shape, tb.shape);
  return g.add1(op, [ta, tb], { shape, dtype: dtype ?? ta.dtype });
}

function unary(op: string, x: Tensor): Tensor {
  requireFloat(x.graph.nextNodeName(op), x);
  return x.graph.add1(op, [x], { shape: x.shape, dtype: x.dtype });
}

export const add = (a: Operand, b: Operand): Tensor => binary('Add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('Sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('Mul', a, b);
export const div = (a: Operand, b: Operand): Tensor => binary('Div', a, b);
/** Elementwise power; a constant exponent keeps the gradient to one term. */
export const pow = (a: Operand, b: Operand): Tensor => binary('Pow', a, b);
/** Elementwise minimum (training graphs only: not in the WebGPU EP's operator list). */
export const minimum = (a: Operand, b: Operand): Tensor => binary('Min', a, b);
/** Elementwise maximum (training graphs only: not in the WebGPU EP's operator list). */
export const maximum = (a: Operand, b: Operand): Tensor => binary('Max', a, b);

export const neg = (x: Tensor): Tensor => unary('Neg', x);
export const sigmoid = (x: Tensor): Tensor => unary('Sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('Relu', x);
export const tanh = (x: Tensor): Tensor => unary('Tanh', x);
export const exp = (x: Tensor): Tensor => unary('Exp', x);
export const log = (x: Tensor): Tensor => unary('Log', x);
export const sin = (x: Tensor): Tensor => unary('Sin', x);
export const cos = (x: Tensor): Tensor => unary('Cos', x);
export const sqrt = (x: Tensor): Tensor => unary('Sqrt', x);
/** Floor has zero gradient almost everywhere; use straightThrough to train through it. */
export const floor = (x: Tensor): Tensor => unary('Floor', x);

export const square = (x: Tensor): Tensor => mul(x, x);
export const silu = (x: Tensor): Tensor => mul(x, sigmoid(x));

/** Clamp to [lo, hi] (ONNX Clip with scalar bounds; null means unbounded on that side). */
export function clip(x: Tensor, lo: number | null, hi: number | null): Tensor {
  const g: Graph = x.graph;
  requireFloat(g.nextNodeName('Clip'), x);
  const loT = g.scalar(lo ?? -Infinity, x.dtype);
  const hiT = g.scalar(hi ?? Infinity, x.dtype);
  return g.add1('Clip', [x, loT, hiT], { shape: x.shape, dtype: x.dtype });
}

/** Identity in the forward pass, a constant for gradients. */
export function stopGradient(x: Tensor): Tensor {
  return x.graph.add1('Identity', [x], { shape: x.shape, dtype: x.dtype }, { noGrad: true });
}

/** Straight-through estimator: the value of `q`, the gradient of `y` (docs/math.md §2). */
export function straightThrough(y: Tensor, q: Tensor): Tensor {
  return add(y, stopGradient(sub(q, y)));
}
