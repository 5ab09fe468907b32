import { GraphError, type Tensor } from '../graph';
import { fmtShape } from '../types';
import { add, div, mul, neg, sqrt, sub } from './elementwise';
import { reduceMean, reduceSum } from './reduce';
import { reshape } from './shape';

/**
 * Group normalisation of x [N,C,H,W] with per-channel gamma and beta [C]. Composed from
 * Reshape/ReduceMean/Sub/Mul/Sqrt/Div/Add so it runs on every EP. gamma is folded into the
 * per-(sample, channel) scale so the forward pass makes four full passes over x, and the
 * backward pass is fused (five passes, with the group means taken from per-channel sums).
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
  const [n, c, h, w] = x.shape as [number, number, number, number];
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
  const cg = c / groups;
  const count = cg * h * w;
  const grouped = [n, groups, cg, h * w];
  const [out] = g.composite('GroupNorm', () => {
    const xr = reshape(x, grouped);
    const gammaR = reshape(gamma, [groups, cg, 1]);
    const centred = sub(xr, reduceMean(xr, [2, 3], true));
    const rstd = div(1, sqrt(add(reduceMean(mul(centred, centred), [2, 3], true), eps)));
    const scale = mul(rstd, gammaR);
    const y = reshape(add(mul(centred, scale), reshape(beta, [groups, cg, 1])), x.shape);
    const vjp = (dys: readonly (Tensor | null)[], needs: (t: Tensor) => boolean) => {
      const d = reshape(dys[0]!, grouped);
      const sumD = reduceSum(d, [3], true);
      const sumDC = reduceSum(mul(d, centred), [3], true);
      const grads = new Map<Tensor, Tensor>();
      if (needs(beta)) grads.set(beta, reshape(reduceSum(sumD, [0]), beta.shape));
      if (needs(gamma)) grads.set(gamma, reshape(reduceSum(mul(sumDC, rstd), [0]), gamma.shape));
      if (needs(x)) {
        // dx = rstd * (dy*gamma - mean(dy*gamma) - xhat * mean(dy*gamma*xhat)), xhat = centred*rstd
        const meanG = div(reduceSum(mul(sumD, gammaR), [2], true), count);
        const meanGC = div(reduceSum(mul(sumDC, gammaR), [2], true), count);
        const kCentred = neg(mul(mul(rstd, rstd), mul(meanGC, rstd)));
        const kConst = neg(mul(rstd, meanG));
        const dx = add(add(mul(d, scale), mul(centred, kCentred)), kConst);
        grads.set(x, reshape(dx, x.shape));
      }
      return grads;
    };
    return { outputs: [y] as const, vjp };
  });
  return out;
}
