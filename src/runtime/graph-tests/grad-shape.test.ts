import { describe, expect, it } from 'vitest';
import { op, type Graph, type Params, type Tensor } from '../../graph';
import { gradChecker } from '../../graph/gradcheck.testkit';
import { GraphSession } from '../train-session';

const gradCheck = gradChecker((graph) => GraphSession.create(graph));

const U = { kind: 'uniform', bound: 1 } as const;

// Each case makes its output depend on every parameter non-trivially (elementwise products
// keep the gradient from being a constant the rule could get right by accident).
const cases: [string, (g: Graph, p: Params) => Tensor][] = [
  ['reshape', (_g, p) => op.square(op.reshape(p.param('x', [2, 3, 4], U), [4, -1]))],
  [
    'transpose',
    (_g, p) =>
      op.mul(op.transpose(p.param('x', [2, 3, 4], U), [2, 0, 1]), p.param('y', [4, 2, 3], U)),
  ],
  [
    'concat',
    (_g, p) =>
      op.square(
        op.concat([p.param('a', [2, 3], U), p.param('b', [2, 1], U), p.param('c', [2, 2], U)], 1),
      ),
  ],
  [
    'split',
    (_g, p) => {
      const [a, b] = op.split(p.param('x', [5, 3], U), [2, 3], 0) as [Tensor, Tensor];
      return op.concat([op.square(a), op.sin(b)], 0);
    },
  ],
  [
    'split with an unused piece',
    (_g, p) => op.exp(op.split(p.param('x', [2, 6], U), [1, 2, 3], 1)[1]!),
  ],
  ['slice', (_g, p) => op.square(op.slice(p.param('x', [4, 5, 3], U), [1, 2], [3, 5], [0, 1]))],
  [
    'pad',
    (_g, p) => op.mul(op.pad(p.param('x', [2, 3], U), [1, 0, 0, 2]), p.param('y', [3, 5], U)),
  ],
  [
    'expand',
    (_g, p) => op.mul(op.expand(p.param('x', [3, 1], U), [2, 3, 4]), p.param('y', [2, 3, 4], U)),
  ],
  [
    'reduceSum keepdims',
    (_g, p) => op.square(op.reduceSum(p.param('x', [2, 3, 4], U), [0, 2], true)),
  ],
  ['reduceSum', (_g, p) => op.square(op.reduceSum(p.param('x', [2, 3, 4], U), [1]))],
  ['reduceMean', (_g, p) => op.square(op.reduceMean(p.param('x', [2, 3, 4], U), [-1]))],
  ['mean', (_g, p) => op.square(op.mean(p.param('x', [2, 3], U)))],
  ['matmul 2-D', (_g, p) => op.matmul(p.param('a', [3, 4], U), p.param('b', [4, 5], U))],
  [
    'matmul batched x shared weight',
    (_g, p) => op.matmul(p.param('a', [2, 3, 4], U), p.param('b', [4, 5], U)),
  ],
  ['matmul batched', (_g, p) => op.matmul(p.param('a', [2, 3, 4], U), p.param('b', [2, 4, 5], U))],
  [
    'linear',
    (_g, p) => op.linear(p.param('x', [3, 4], U), p.param('w', [5, 4], U), p.param('b', [5], U)),
  ],
  [
    'gemm transA',
    (_g, p) =>
      op.gemm(p.param('a', [4, 3], U), p.param('b', [4, 5], U), p.param('c', [1, 5], U), {
        transA: true,
      }),
  ],
  [
    'gemm transA transB',
    (_g, p) =>
      op.gemm(p.param('a', [4, 3], U), p.param('b', [5, 4], U), p.param('c', [3, 1], U), {
        transA: true,
        transB: true,
      }),
  ],
];

describe('shape, reduction and linear VJPs (float64 finite differences)', () => {
  it.each(cases)('%s', async (_n, f) => {
    const res = await gradCheck(f, { dtype: 'float64' });
    for (const r of res.params)
      expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(1e-6);
  });
});
