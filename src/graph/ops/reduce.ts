import type { Tensor } from '../graph';
import { normAxes, requireFloat } from './common';

function reduce(
  op: 'ReduceSum' | 'ReduceMean',
  x: Tensor,
  axes: readonly number[] | null,
  keepdims: boolean,
): Tensor {
  const g = x.graph;
  const node = g.nextNodeName(op);
  requireFloat(node, x);
  const ax = normAxes(node, axes ?? x.shape.map((_, i) => i), x.rank).sort((a, b) => a - b);
  if (ax.length === 0) return x;
  const shape = keepdims
    ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !ax.includes(i));
  const keep = { kind: 'int', value: keepdims ? 1 : 0 } as const;
  // At opset 17 ReduceSum takes its axes as an input, ReduceMean still as an attribute.
  if (op === 'ReduceSum') {
    return g.add1(
      op,
      [x, g.int64s(ax)],
      { shape, dtype: x.dtype },
      { attrs: { keepdims: keep }, info: { axes: ax } },
    );
  }
  return g.add1(
    op,
    [x],
    { shape, dtype: x.dtype },
    {
      attrs: { keepdims: keep, axes: { kind: 'ints', value: ax } },
      info: { axes: ax },
    },
  );
}

/** Sum over `axes` (all axes when null). */
export const reduceSum = (x: Tensor, axes: readonly number[] | null, keepdims = false): Tensor =>
  reduce('ReduceSum', x, axes, keepdims);

/** Mean over `axes` (all axes when null). */
export const reduceMean = (x: Tensor, axes: readonly number[] | null, keepdims = false): Tensor =>
  reduce('ReduceMean', x, axes, keepdims);

/** Mean of every element, as a scalar of shape []. */
export const mean = (x: Tensor): Tensor => reduceMean(x, null, false);
