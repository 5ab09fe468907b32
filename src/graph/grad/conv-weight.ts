import { conv2d, matmul, reduceSum, reshape, transpose } from '../ops';
import type { Tensor } from '../graph';
import type { Shape } from '../types';

export interface ConvGeometry {
  readonly stride: number;
  readonly pads: readonly [number, number, number, number];
}

/**
 * Depthwise kernel [ch*kh*kw, 1, kh, kw] with one 1 per output channel: convolving with it
 * copies every tap of every channel into its own channel (im2col by the Conv kernel).
 * `flip` puts tap (i, j) at (kh-1-i, kw-1-j), which shifts the image by (i, j) instead.
 */
function tapKernel(like: Tensor, ch: number, kh: number, kw: number, flip: boolean): Tensor {
  const kk = kh * kw;
  const data = new Float64Array(ch * kk * kk);
  for (let c = 0; c < ch; c++) {
    for (let t = 0; t < kk; t++) data[(c * kk + t) * kk + (flip ? kk - 1 - t : t)] = 1;
  }
  return like.graph.constant(data, [ch * kk, 1, kh, kw], like.dtype);
}

/** [N, C, H, W] -> [N, H*W, C]. */
function pixelsByChannel(t: Tensor): Tensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  return transpose(reshape(t, [n, c, h * w]), [0, 2, 1]);
}

/**
 * Weight gradient of an ungrouped conv as a batched GEMM over im2col patches, summed over
 * the batch. Patches come from a depthwise conv with a one-hot kernel, built from whichever
 * of x and dy has fewer channels (stride 1), because building them costs about as much as
 * the GEMM; the other operand is only transposed to pixel-major order.
 */
export function convWeightGrad(x: Tensor, dy: Tensor, wShape: Shape, geo: ConvGeometry): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [o, , kh, kw] = wShape as [number, number, number, number];
  const [, , ho, wo] = dy.shape as [number, number, number, number];
  const kk = kh * kw;
  const [pt, pl, pb, pr] = geo.pads;
  const padsFit = pt < kh && pl < kw && pb < kh && pr < kw;
  if (geo.stride === 1 && o < c && padsFit) {
    // P[o*kk + t] is dy shifted by tap t onto x's grid; dW[o,:,t] = sum over pixels P . x.
    const shifted = conv2d(dy, tapKernel(dy, o, kh, kw, true), null, {
      pad: [kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr],
      groups: o,
    });
    const perImage = matmul(reshape(shifted, [n, o * kk, h * w]), pixelsByChannel(x));
    return transpose(reshape(reduceSum(perImage, [0]), [o, kh, kw, c]), [0, 3, 1, 2]);
  }
  const patches = conv2d(x, tapKernel(x, c, kh, kw, false), null, {
    stride: geo.stride,
    pad: geo.pads as [number, number, number, number],
    groups: c,
  });
  const perImage = matmul(reshape(patches, [n, c * kk, ho * wo]), pixelsByChannel(dy));
  return reshape(transpose(reduceSum(perImage, [0]), [1, 0]), wShape);
}
