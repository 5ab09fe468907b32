import { GraphError } from '../graph';
import type { Tensor } from '../tensor';
import { fmtShape } from '../types';
import { add, div, mul, sqrt, sub } from './elementwise';
import { reduceMean, reduceSum } from './reduce';
import { reshape } from './shape';

/**
 * Group normalisation of x [N,C,H,W] with per-channel gamma and beta [C]. Composed from
 * Reshape/ReduceMean/Sub/Mul/Sqrt/Div so it runs on every EP, with a fused backward pass
 * (dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) for g = dy * gamma).
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
  const perChannel = [c, 1, 1];
  const [out] = g.composite('GroupNorm', () => {
    const xr = reshape(x, [n, groups, -1]);
    const centred = sub(xr, reduceMean(xr, [2], true));
    const rstd = div(1, sqrt(add(reduceMean(mul(centred, centred), [2], true), eps)));
    const xhat = mul(centred, rstd);
    const xhatFull = reshape(xhat, x.shape);
    const y = add(mul(xhatFull, reshape(gamma, perChannel)), reshape(beta, perChannel));
    const vjp = (dys: readonly (Tensor | null)[], needs: (t: Tensor) => boolean) => {
      const d = dys[0]!;
      const grads = new Map<Tensor, Tensor>();
      if (needs(beta)) grads.set(beta, reshape(reduceSum(d, [0, 2, 3]), beta.shape));
      if (needs(gamma))
        grads.set(gamma, reshape(reduceSum(mul(d, xhatFull), [0, 2, 3]), gamma.shape));
      if (needs(x)) {
        const gr = reshape(mul(d, reshape(gamma, perChannel)), [n, groups, -1]);
        const meanG = reduceMean(gr, [2], true);
        const meanGX = reduceMean(mul(gr, xhat), [2], true);
        grads.set(x, reshape(mul(sub(sub(gr, meanG), mul(xhat, meanGX)), rstd), x.shape));
      }
      return grads;
    };
    return { outputs: [y] as const, vjp };
  });
  return out;
}
