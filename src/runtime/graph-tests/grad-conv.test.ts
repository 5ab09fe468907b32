import { describe, expect, it } from 'vitest';
import { kaiming, op, type Shape } from '../../graph';
import { gradChecker } from '../../graph/gradcheck.testkit';
import { GraphSession } from '../train-session';

const gradCheck = gradChecker((graph) => GraphSession.create(graph));

const U = { kind: 'uniform', bound: 1 } as const;

interface ConvCase {
  readonly x: Shape;
  readonly w: Shape;
  readonly stride: number;
  readonly pad: number | [number, number, number, number];
  readonly groups: number;
  readonly bias: boolean;
}

const cases: [string, ConvCase][] = [
  [
    '3x3 stride 1 pad 1',
    { x: [2, 3, 6, 6], w: [4, 3, 3, 3], stride: 1, pad: 1, groups: 1, bias: true },
  ],
  [
    '3x3 stride 2 even',
    { x: [2, 3, 8, 8], w: [4, 3, 3, 3], stride: 2, pad: 1, groups: 1, bias: true },
  ],
  [
    '3x3 stride 2 odd',
    { x: [3, 2, 7, 9], w: [5, 2, 3, 3], stride: 2, pad: 1, groups: 1, bias: true },
  ],
  [
    '3x3 no padding odd',
    { x: [2, 2, 7, 5], w: [3, 2, 3, 3], stride: 1, pad: 0, groups: 1, bias: false },
  ],
  [
    'asymmetric padding',
    { x: [2, 2, 5, 6], w: [3, 2, 3, 2], stride: 1, pad: [0, 1, 2, 0], groups: 1, bias: true },
  ],
  [
    '3x3 fewer outputs than inputs',
    { x: [2, 5, 6, 7], w: [2, 5, 3, 3], stride: 1, pad: 1, groups: 1, bias: true },
  ],
  [
    'asymmetric, fewer outputs',
    { x: [2, 4, 5, 6], w: [3, 4, 3, 2], stride: 1, pad: [2, 0, 1, 1], groups: 1, bias: false },
  ],
  [
    '3x1 kernel',
    { x: [2, 2, 5, 4], w: [3, 2, 3, 1], stride: 1, pad: [1, 0, 1, 0], groups: 1, bias: true },
  ],
  [
    '1x3 kernel, fewer outputs',
    { x: [2, 4, 4, 5], w: [2, 4, 1, 3], stride: 1, pad: [0, 1, 0, 2], groups: 1, bias: false },
  ],
  ['1x1', { x: [2, 4, 5, 5], w: [3, 4, 1, 1], stride: 1, pad: 0, groups: 1, bias: true }],
  ['1x1 stride 2', { x: [2, 4, 5, 5], w: [3, 4, 1, 1], stride: 2, pad: 0, groups: 1, bias: false }],
  ['grouped', { x: [2, 4, 6, 6], w: [6, 2, 3, 3], stride: 1, pad: 1, groups: 2, bias: true }],
  [
    'depthwise stride 2',
    { x: [2, 3, 7, 7], w: [3, 1, 3, 3], stride: 2, pad: 1, groups: 3, bias: false },
  ],
  [
    '5x5 stride 2 batch 1',
    { x: [1, 2, 9, 9], w: [2, 2, 5, 5], stride: 2, pad: 2, groups: 1, bias: true },
  ],
];

// Float32 only (ORT's CPU Conv/ConvTranspose/Resize have no float64 kernels).
const TOL = 2e-3;

describe('conv VJPs (float32 finite differences)', () => {
  it.each(cases)('%s', async (_n, c) => {
    const res = await gradCheck(
      (_g, p) => {
        const x = p.param('x', c.x, U);
        const w = p.param('w', c.w, U);
        const b = c.bias ? p.param('b', [c.w[0]!], U) : null;
        return op.conv2d(x, w, b, { stride: c.stride, pad: c.pad, groups: c.groups });
      },
      { dtype: 'float32' },
    );
    for (const r of res.params)
      expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(TOL);
  });

  it('nearest upsample x2', async () => {
    const res = await gradCheck((_g, p) => op.upsample2x(p.param('x', [2, 3, 3, 5], U)), {
      dtype: 'float32',
    });
    expect(res.worst).toBeLessThan(TOL);
  });

  it('global average pool', async () => {
    const res = await gradCheck((_g, p) => op.globalAvgPool(p.param('x', [2, 3, 5, 4], U)), {
      dtype: 'float32',
    });
    expect(res.worst).toBeLessThan(TOL);
  });

  it('group norm', async () => {
    const res = await gradCheck(
      (_g, p) =>
        op.groupNorm(
          p.param('x', [2, 6, 3, 5], U),
          p.param('gamma', [6], U),
          p.param('beta', [6], U),
          3,
        ),
      { dtype: 'float64' },
    );
    for (const r of res.params) expect(r.relErr, r.name).toBeLessThan(1e-6);
  });

  it('group norm with constant affine parameters, output used twice', async () => {
    const res = await gradCheck(
      (g, p) => {
        const x = p.param('x', [2, 4, 3, 3], U);
        const y = op.groupNorm(
          x,
          g.constant([1, 2, 3, 4], [4], 'float64'),
          g.constant([0, 1, 0, 1], [4], 'float64'),
          2,
        );
        return op.mul(y, op.sin(y));
      },
      { dtype: 'float64' },
    );
    expect(res.worst).toBeLessThan(1e-6);
  });

  // Smooth activations only: a ReLU kink inside the finite-difference step would spoil the quotient.
  it('a small U-Net-like network end to end', async () => {
    const res = await gradCheck(
      (g, p) => {
        const x = g.input('x', [2, 1, 9, 9]);
        const c0 = op.silu(
          op.conv2d(x, p.param('w0', [4, 1, 3, 3], kaiming(9)), p.param('b0', [4], kaiming(9)), {
            pad: 1,
          }),
        );
        const d = op.tanh(
          op.conv2d(c0, p.param('w1', [6, 4, 3, 3], kaiming(36)), p.param('b1', [6], kaiming(36)), {
            stride: 2,
            pad: 1,
          }),
        );
        const n = op.groupNorm(
          d,
          p.param('gn.g', [6], { kind: 'ones' }),
          p.param('gn.b', [6], { kind: 'zeros' }),
          2,
        );
        const pooled = op.reshape(op.globalAvgPool(n), [2, 6]);
        const emb = op.sigmoid(
          op.linear(
            pooled,
            p.param('lin.w', [6, 6], kaiming(6)),
            p.param('lin.b', [6], kaiming(6)),
          ),
        );
        const mod = op.mul(n, op.reshape(emb, [2, 6, 1, 1]));
        const up = op.slice(op.upsample2x(mod), [0, 0], [9, 9], [2, 3]);
        const cat = op.concat([up, c0], 1);
        return op.conv2d(
          cat,
          p.param('w2', [1, 10, 3, 3], kaiming(90)),
          p.param('b2', [1], kaiming(90)),
          { pad: 1 },
        );
      },
      { dtype: 'float32' },
    );
    for (const r of res.params)
      expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(5e-3);
  });
});
