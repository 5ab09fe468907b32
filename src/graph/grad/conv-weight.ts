import { GraphError } from '../graph';
import { conv2d, gemm, pad, reshape, slice, transpose } from '../ops';
import type { Tensor } from '../tensor';
import type { Shape } from '../types';

export interface ConvGeometry {
  readonly stride: number;
  readonly pads: readonly [number, number, number, number];
}

/** Identity kernel [C*kh*kw, 1, kh, kw]: a depthwise conv with it extracts image patches. */
function patchKernel(x: Tensor, c: number, kh: number, kw: number): Tensor {
  const kk = kh * kw;
  const data = new Float64Array(c * kk * kk);
  for (let ch = 0; ch < c; ch++) for (let k = 0; k < kk; k++) data[(ch * kk + k) * kk + k] = 1;
  return x.graph.constant(data, [c * kk, 1, kh, kw], x.dtype);
}

/**
 * Weight gradient of an ungrouped conv as one GEMM over image patches (im2col).
 *
 * The batch is stacked vertically into one tall image (each padded image's height rounded up
 * to a multiple of the stride, so every image starts on the stride grid); a depthwise conv
 * with an identity kernel then yields the patches of all images at once. Output rows that
 * straddle two images are junk, and are cancelled by zero rows inserted into dy at the same
 * places. dW [O, C*kh*kw] = dy [O, M] . patches [C*kh*kw, M]^T.
 */
export function convWeightGrad(x: Tensor, dy: Tensor, wShape: Shape, geo: ConvGeometry): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [o, , kh, kw] = wShape as [number, number, number, number];
  const [, , ho, wo] = dy.shape as [number, number, number, number];
  const s = geo.stride;
  const [pt, pl, pb, pr] = geo.pads;
  const hp = Math.ceil((h + pt + pb) / s) * s;
  const wp = w + pl + pr;
  const xp = pad(x, [0, 0, pt, pl, 0, 0, hp - h - pt, pr]);
  const tall = reshape(transpose(xp, [1, 0, 2, 3]), [1, c, n * hp, wp]);
  const patches = conv2d(tall, patchKernel(x, c, kh, kw), null, { stride: s, groups: c });
  const rows = patches.shape[2]!;
  if (patches.shape[3] !== wo)
    throw new GraphError(`conv weight grad: patch width ${patches.shape[3]} != ${wo}`);
  const m = rows * wo;
  const rowsPerImage = hp / s;
  const dyTall = reshape(
    transpose(pad(dy, [0, 0, 0, 0, 0, 0, rowsPerImage - ho, 0]), [1, 0, 2, 3]),
    [o, -1],
  );
  const dyCols = slice(dyTall, [0], [m], [1]);
  const dw = gemm(dyCols, reshape(patches, [c * kh * kw, m]), null, { transB: true });
  return reshape(dw, wShape);
}
