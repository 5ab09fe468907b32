import { op, type Tensor } from '../../graph';

/** EDM's sigma_data for data scaled to [-1, 1] (docs/math.md §1). */
export const SIGMA_DATA = 0.5;

/** The EDM coefficients for sigma [B], each shaped [B, 1, 1, 1] to scale images. */
export interface Precond {
  cSkip: Tensor;
  cOut: Tensor;
  cIn: Tensor;
  /** c_noise = ln(sigma) / 4, shape [B]. */
  cNoise: Tensor;
  /** Loss weight lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2, [B, 1, 1, 1]. */
  weight: Tensor;
  /** sigma reshaped to [B, 1, 1, 1]. */
  sigma4: Tensor;
}

export function precond(sigma: Tensor): Precond {
  const [n] = sigma.shape as [number];
  const s = op.reshape(sigma, [n, 1, 1, 1]);
  const sd2 = SIGMA_DATA * SIGMA_DATA;
  const s2 = op.mul(s, s);
  const total = op.add(s2, sd2);
  const root = op.sqrt(total);
  return {
    cSkip: op.div(sd2, total),
    cOut: op.div(op.mul(s, SIGMA_DATA), root),
    cIn: op.div(1, root),
    cNoise: op.mul(op.log(sigma), 0.25),
    weight: op.div(total, op.mul(s2, sd2)),
    sigma4: s,
  };
}
