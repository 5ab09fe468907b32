import type { Tensor } from '../graph';
import { asTensor, broadcastShapes, firstTensor, requireSameDtype, type Operand } from './common';
import { binary } from './elementwise';

function compare(op: string, a: Operand, b: Operand): Tensor {
  return binary(op, a, b, 'bool');
}

export const greater = (a: Operand, b: Operand): Tensor => compare('Greater', a, b);
export const greaterOrEqual = (a: Operand, b: Operand): Tensor => compare('GreaterOrEqual', a, b);
export const less = (a: Operand, b: Operand): Tensor => compare('Less', a, b);
export const equal = (a: Operand, b: Operand): Tensor => compare('Equal', a, b);

/** Elementwise select: cond ? a : b, all three broadcast together. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const g = cond.graph;
  const like = firstTensor(a, b);
  const ta = asTensor(g, a, like);
  const tb = asTensor(g, b, like);
  const node = g.nextNodeName('Where');
  requireSameDtype(node, ta, tb);
  const shape = broadcastShapes(node, broadcastShapes(node, cond.shape, ta.shape), tb.shape);
  return g.add1('Where', [cond, ta, tb], { shape, dtype: ta.dtype });
}

/** Convert to another element type (e.g. bool masks to float). */
export function cast(x: Tensor, to: 'float32' | 'float64' | 'int64' | 'bool'): Tensor {
  if (x.dtype === to) return x;
  const code = { float32: 1, float64: 11, int64: 7, bool: 9 }[to];
  return x.graph.add1(
    'Cast',
    [x],
    { shape: x.shape, dtype: to },
    { attrs: { to: { kind: 'int', value: code } } },
  );
}
