import { conv2d, convTranspose2d, matmul, reshape, transpose } from '../ops';
import type { Tensor } from '../graph';
import type { ConvGeometry } from './conv-weight';

/**
 * Input gradient of a conv. Stride 1 without groups is itself a conv with the kernel flipped
 * and its in/out channels swapped, which ORT runs markedly faster than ConvTranspose.
 */
export function convInputGrad(
  dy: Tensor,
  w: Tensor,
  x: Tensor,
  geo: ConvGeometry,
  groups: number,
): Tensor {
  const [o, c, kh, kw] = w.shape as [number, number, number, number];
  const [pt, pl, pb, pr] = geo.pads;
  const fits = geo.stride === 1 && groups === 1 && pt < kh && pl < kw && pb < kh && pr < kw;
  if (!fits) {
    return convTranspose2d(dy, w, {
      stride: geo.stride,
      pads: geo.pads,
      groups,
      outSize: [x.shape[2]!, x.shape[3]!],
    });
  }
  const kk = kh * kw;
  const reverse = new Float64Array(kk * kk);
  for (let i = 0; i < kk; i++) reverse[i * kk + (kk - 1 - i)] = 1;
  const flipped = matmul(reshape(w, [o * c, kk]), w.graph.constant(reverse, [kk, kk], w.dtype));
  const wt = transpose(reshape(flipped, [o, c, kh, kw]), [1, 0, 2, 3]);
  return conv2d(dy, wt, null, { pad: [kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr] });
}
