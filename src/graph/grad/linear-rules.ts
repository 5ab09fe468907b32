import { gemm, matmul, reshape, transpose } from '../ops';
import type { Tensor } from '../graph';
import type { VjpRule } from './rule';
import { unbroadcast } from './unbroadcast';

const swapLast = (t: Tensor): Tensor => {
  const perm = t.shape.map((_, i) => i);
  perm[t.rank - 1] = t.rank - 2;
  perm[t.rank - 2] = t.rank - 1;
  return transpose(t, perm);
};

export const linearRules: Record<string, VjpRule> = {
  MatMul: ({ node, dy, needs }) => {
    const [a, b] = node.inputs as [Tensor, Tensor];
    const d = dy[0]!;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) da = matmul(d, swapLast(b));
    if (needs[1]) {
      if (b.rank === 2) {
        // A shared weight: fold every leading dim of a into one GEMM.
        const k = a.shape[a.rank - 1]!;
        const n = d.shape[d.rank - 1]!;
        db = gemm(reshape(a, [-1, k]), reshape(d, [-1, n]), null, { transA: true });
      } else {
        db = matmul(swapLast(a), d);
      }
    }
    return [da, db];
  },
  Gemm: ({ node, dy, needs }) => {
    const [a, b, c] = node.inputs as [Tensor, Tensor, Tensor | undefined];
    const [ta, tb] = node.info.trans as [number, number];
    const d = dy[0]!;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) {
      da = ta
        ? gemm(b, d, null, { transA: !!tb, transB: true })
        : gemm(d, b, null, { transB: !tb });
    }
    if (needs[1]) {
      db = tb
        ? gemm(d, a, null, { transA: true, transB: !!ta })
        : gemm(a, d, null, { transA: !ta });
    }
    return c ? [da, db, needs[2] ? unbroadcast(d, c.shape) : null] : [da, db];
  },
};
