import { kaiming, op, type Params, type Tensor } from '../../graph';
import { groupsFor } from './config';

const ZEROS = { kind: 'zeros' } as const;
const ONES = { kind: 'ones' } as const;

export interface ConvOpts {
  readonly k?: number;
  readonly stride?: number;
  /** Start at zero: the last conv of a residual branch, so every block begins as the identity. */
  readonly zero?: boolean;
}

/** k x k convolution with 'same' padding (or stride-2 halving), bias included. */
export function conv(p: Params, x: Tensor, cout: number, opts: ConvOpts = {}): Tensor {
  const k = opts.k ?? 3;
  const cin = x.shape[1]!;
  const w = p.param('w', [cout, cin, k, k], opts.zero ? ZEROS : kaiming(cin * k * k));
  const b = p.param('b', [cout], ZEROS);
  return op.conv2d(x, w, b, { stride: opts.stride ?? 1, pad: (k - 1) >> 1 });
}

/** Fully connected layer, x [B, in] -> [B, out]. */
export function dense(p: Params, x: Tensor, out: number, zero = false): Tensor {
  const cin = x.shape[1]!;
  const w = p.param('w', [out, cin], zero ? ZEROS : kaiming(cin));
  return op.linear(x, w, p.param('b', [out], ZEROS));
}

export function norm(p: Params, x: Tensor): Tensor {
  const c = x.shape[1]!;
  return op.groupNorm(x, p.param('g', [c], ONES), p.param('b', [c], ZEROS), groupsFor(c));
}

/**
 * DDPM++-style residual block: GroupNorm, SiLU, conv, plus the projected embedding, GroupNorm,
 * SiLU, zero-initialised conv; a 1x1 conv on the skip when the width changes; sum scaled by 1/sqrt 2.
 * `emb` is the already-activated embedding [B, E], or null for the encoder's blocks.
 */
export function resBlock(p: Params, x: Tensor, cout: number, emb: Tensor | null): Tensor {
  const [n] = x.shape as [number];
  let h = conv(p.scope('conv0'), op.silu(norm(p.scope('norm0'), x)), cout);
  if (emb) h = op.add(h, op.reshape(dense(p.scope('emb'), emb, cout), [n, cout, 1, 1]));
  h = conv(p.scope('conv1'), op.silu(norm(p.scope('norm1'), h)), cout, { zero: true });
  const skip = x.shape[1] === cout ? x : conv(p.scope('skip'), x, cout, { k: 1 });
  return op.mul(op.add(h, skip), Math.SQRT1_2);
}
