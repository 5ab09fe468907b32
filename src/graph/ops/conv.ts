import { GraphError, type Tensor } from '../graph';
import { fmtShape } from '../types';
import { requireFloat, requireSameDtype } from './common';

export interface ConvOptions {
  /** Stride in both spatial dims (default 1). */
  readonly stride?: number;
  /** Symmetric padding, or [top, left, bottom, right] (ONNX order). Default 0. */
  readonly pad?: number | readonly [number, number, number, number];
  readonly groups?: number;
}

function convOutSize(
  size: number,
  k: number,
  stride: number,
  padBegin: number,
  padEnd: number,
): number {
  return Math.floor((size + padBegin + padEnd - k) / stride) + 1;
}

/** 2-D convolution, x [N,C,H,W], w [O,C/groups,kh,kw], optional bias [O]. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, opts: ConvOptions = {}): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Conv');
  const stride = opts.stride ?? 1;
  const groups = opts.groups ?? 1;
  const p = opts.pad ?? 0;
  const pads = typeof p === 'number' ? [p, p, p, p] : [...p];
  requireFloat(node, x);
  requireSameDtype(node, x, w);
  if (x.rank !== 4 || w.rank !== 4) {
    throw new GraphError(
      `${node}: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} must both be rank 4`,
    );
  }
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, ci, kh, kw] = w.shape as [number, number, number, number];
  if (ci * groups !== c || o % groups !== 0) {
    throw new GraphError(
      `${node}: input ${fmtShape(x.shape)} does not fit weight ${fmtShape(w.shape)} with groups=${groups}`,
    );
  }
  if (b && (b.rank !== 1 || b.shape[0] !== o)) {
    throw new GraphError(
      `${node}: bias ${fmtShape(b.shape)} does not fit weight ${fmtShape(w.shape)}`,
    );
  }
  const ho = convOutSize(h, kh, stride, pads[0]!, pads[2]!);
  const wo = convOutSize(wd, kw, stride, pads[1]!, pads[3]!);
  if (ho < 1 || wo < 1) {
    throw new GraphError(
      `${node}: input ${fmtShape(x.shape)} is smaller than weight ${fmtShape(w.shape)}`,
    );
  }
  return g.add1(
    'Conv',
    b ? [x, w, b] : [x, w],
    { shape: [n, o, ho, wo], dtype: x.dtype },
    {
      attrs: {
        kernel_shape: { kind: 'ints', value: [kh, kw] },
        strides: { kind: 'ints', value: [stride, stride] },
        pads: { kind: 'ints', value: pads },
        group: { kind: 'int', value: groups },
      },
      info: { stride: [stride], pads, groups: [groups] },
    },
  );
}

/** Nearest-neighbour upsampling by 2 in H and W. */
export function upsample2x(x: Tensor): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Resize');
  if (x.rank !== 4) throw new GraphError(`${node}: input ${fmtShape(x.shape)} must be rank 4`);
  requireFloat(node, x);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  // roi is unused by nearest mode but the opset-13+ Resize signature puts scales after it.
  const roi = g.constant([], [0], 'float32');
  const scales = g.constant([1, 1, 2, 2], [4], 'float32');
  return g.add1(
    'Resize',
    [x, roi, scales],
    { shape: [n, c, 2 * h, 2 * w], dtype: x.dtype },
    {
      attrs: {
        mode: { kind: 'string', value: 'nearest' },
        coordinate_transformation_mode: { kind: 'string', value: 'asymmetric' },
        nearest_mode: { kind: 'string', value: 'floor' },
      },
    },
  );
}

/** Mean of each 2x2 block, [N,C,2H,2W] -> [N,C,H,W] (the adjoint of upsample2x, over 4). */
export function avgPool2x(x: Tensor): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('AveragePool');
  if (x.rank !== 4 || x.shape[2]! % 2 !== 0 || x.shape[3]! % 2 !== 0) {
    throw new GraphError(`${node}: input ${fmtShape(x.shape)} must be rank 4 with even H and W`);
  }
  requireFloat(node, x);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return g.add1(
    'AveragePool',
    [x],
    { shape: [n, c, h / 2, w / 2], dtype: x.dtype },
    {
      attrs: {
        kernel_shape: { kind: 'ints', value: [2, 2] },
        strides: { kind: 'ints', value: [2, 2] },
      },
    },
  );
}

/** Mean over H and W: [N,C,H,W] -> [N,C,1,1]. */
export function globalAvgPool(x: Tensor): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('GlobalAveragePool');
  if (x.rank !== 4) throw new GraphError(`${node}: input ${fmtShape(x.shape)} must be rank 4`);
  requireFloat(node, x);
  return g.add1('GlobalAveragePool', [x], {
    shape: [x.shape[0]!, x.shape[1]!, 1, 1],
    dtype: x.dtype,
  });
}

export interface ConvTransposeOptions {
  readonly stride: number;
  readonly pads: readonly [number, number, number, number];
  readonly groups: number;
  /** Output spatial size [H, W]; ONNX output_padding is derived from it. */
  readonly outSize: readonly [number, number];
}

/** Transposed convolution (the adjoint of conv2d in its input), x [N,O,h,w], w [O,C/groups,kh,kw]. */
export function convTranspose2d(x: Tensor, w: Tensor, opts: ConvTransposeOptions): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('ConvTranspose');
  requireSameDtype(node, x, w);
  const [n, o, h, wd] = x.shape as [number, number, number, number];
  const [wo, cg, kh, kw] = w.shape as [number, number, number, number];
  const { stride, pads, groups, outSize } = opts;
  if (x.rank !== 4 || w.rank !== 4 || wo !== o) {
    throw new GraphError(
      `${node}: input ${fmtShape(x.shape)} does not fit weight ${fmtShape(w.shape)}`,
    );
  }
  const base = [
    stride * (h - 1) + kh - pads[0] - pads[2],
    stride * (wd - 1) + kw - pads[1] - pads[3],
  ];
  const outPad = [outSize[0] - base[0]!, outSize[1] - base[1]!];
  if (outPad.some((p) => p < 0 || p >= stride)) {
    throw new GraphError(
      `${node}: output size [${outSize.join(',')}] is unreachable from ${fmtShape(x.shape)}`,
    );
  }
  return g.add1(
    'ConvTranspose',
    [x, w],
    { shape: [n, cg * groups, outSize[0], outSize[1]], dtype: x.dtype },
    {
      attrs: {
        kernel_shape: { kind: 'ints', value: [kh, kw] },
        strides: { kind: 'ints', value: [stride, stride] },
        pads: { kind: 'ints', value: [...pads] },
        group: { kind: 'int', value: groups },
        output_padding: { kind: 'ints', value: outPad },
      },
    },
  );
}
