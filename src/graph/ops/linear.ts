import { GraphError, type Tensor } from '../graph';
import { fmtShape } from '../types';
import { requireFloat, requireSameDtype } from './common';

/**
 * Matrix product. a [..., M, K] with b [K, N] (shared weight) or b [..., K, N] with the same
 * leading dims as a.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const g = a.graph;
  const node = g.nextNodeName('MatMul');
  requireFloat(node, a);
  requireSameDtype(node, a, b);
  const bad = (): never => {
    throw new GraphError(`${node}: cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}`);
  };
  if (a.rank < 2 || b.rank < 2) bad();
  const k = a.shape[a.rank - 1]!;
  if (b.shape[b.rank - 2] !== k) bad();
  if (b.rank > 2 && (b.rank !== a.rank || b.shape.slice(0, -2).some((d, i) => d !== a.shape[i])))
    bad();
  const shape = [...a.shape.slice(0, -1), b.shape[b.rank - 1]!];
  return g.add1('MatMul', [a, b], { shape, dtype: a.dtype });
}

export interface GemmOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/** 2-D Gemm: op(a) @ op(b) (+ c, broadcast to the result). */
export function gemm(a: Tensor, b: Tensor, c: Tensor | null, opts: GemmOptions = {}): Tensor {
  const g = a.graph;
  const node = g.nextNodeName('Gemm');
  requireFloat(node, a);
  requireSameDtype(node, a, b);
  if (a.rank !== 2 || b.rank !== 2) {
    throw new GraphError(
      `${node}: a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)} must be rank 2`,
    );
  }
  const [m, ka] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (ka !== kb) {
    throw new GraphError(
      `${node}: cannot multiply ${fmtShape(a.shape)}${opts.transA ? 'ᵀ' : ''} by ${fmtShape(b.shape)}${opts.transB ? 'ᵀ' : ''}`,
    );
  }
  if (c) {
    const fits =
      c.rank <= 2 && c.shape.every((d, i) => d === 1 || d === [m, n].slice(2 - c.rank)[i]);
    if (!fits)
      throw new GraphError(`${node}: c ${fmtShape(c.shape)} does not broadcast to [${m},${n}]`);
  }
  return g.add1(
    'Gemm',
    c ? [a, b, c] : [a, b],
    { shape: [m, n], dtype: a.dtype },
    {
      attrs: {
        transA: { kind: 'int', value: opts.transA ? 1 : 0 },
        transB: { kind: 'int', value: opts.transB ? 1 : 0 },
      },
      info: { trans: [opts.transA ? 1 : 0, opts.transB ? 1 : 0] },
    },
  );
}

/** Fully connected layer, PyTorch layout: x [N, in], w [out, in], b [out]. */
export const linear = (x: Tensor, w: Tensor, b: Tensor | null): Tensor =>
  gemm(x, w, b, { transB: true });
