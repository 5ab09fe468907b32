import { GraphError } from '../graph';
import type { Tensor } from '../tensor';
import { fmtShape } from '../types';
import { add, div, mul, sqrt, sub } from './elementwise';
import { reduceMean } from './reduce';
import { reshape } from './shape';

/**
 * Group normalisation of x [N,C,H,W] with per-channel gamma and beta [C]. Composed from
 * Reshape/ReduceMean/Sub/Mul/Sqrt/Div so it runs on every EP and gets its gradient for free.
 */
export function groupNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  groups: number,
  eps = 1e-5,
): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('GroupNorm');
  const [n, c] = x.shape as [number, number];
  if (x.rank !== 4 || c % groups !== 0) {
    throw new GraphError(
      `${node}: input ${fmtShape(x.shape)} cannot be split into ${groups} groups`,
    );
  }
  if (gamma.size !== c || beta.size !== c) {
    throw new GraphError(
      `${node}: gamma ${fmtShape(gamma.shape)} and beta ${fmtShape(beta.shape)} must have ${c} values for input ${fmtShape(x.shape)}`,
    );
  }
  const xr = reshape(x, [n, groups, -1]);
  const centred = sub(xr, reduceMean(xr, [2], true));
  const variance = reduceMean(mul(centred, centred), [2], true);
  const normed = reshape(div(centred, sqrt(add(variance, eps))), x.shape);
  return add(mul(normed, reshape(gamma, [c, 1, 1])), reshape(beta, [c, 1, 1]));
}
