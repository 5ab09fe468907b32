import { reduceSum, reshape } from '../ops';
import type { Tensor } from '../graph';
import { sameShape, type Shape } from '../types';

/** Sum a gradient of a broadcast result back down to the operand's shape. */
export function unbroadcast(d: Tensor, shape: Shape): Tensor {
  if (sameShape(d.shape, shape)) return d;
  const lead = d.rank - shape.length;
  const axes: number[] = [];
  d.shape.forEach((dim, i) => {
    if (i < lead || (shape[i - lead] === 1 && dim !== 1)) axes.push(i);
  });
  return reshape(reduceSum(d, axes, true), shape);
}
