import { describe, expect, it } from 'vitest';
import { op, type Graph, type Params, type Shape, type Tensor } from '../../graph';
import { gradChecker } from '../../graph/gradcheck.testkit';
import { GraphSession } from '../train-session';

const gradCheck = gradChecker((graph) => GraphSession.create(graph));

const U = { kind: 'uniform', bound: 1 } as const;

type Case = [string, Shape, Shape, (a: Tensor, b: Tensor) => Tensor];

// Pairs of shapes that exercise broadcasting from either side, rank extension and scalars.
const binaryCases: Case[] = [];
const shapePairs: [Shape, Shape][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [
    [2, 3, 5],
    [3, 1],
  ],
  [
    [1, 4],
    [3, 1],
  ],
  [[5], [2, 3, 5]],
  [[], [2, 3]],
];
const binaries: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', op.add],
  ['sub', op.sub],
  ['mul', op.mul],
  // Denominators and bases kept away from zero so the difference quotient is well conditioned.
  ['div', (a, b) => op.div(a, op.add(op.square(b), 0.5))],
  ['pow', (a, b) => op.pow(op.add(op.square(a), 0.5), b)],
  ['maximum', op.maximum],
  ['minimum', op.minimum],
];
for (const [name, f] of binaries)
  for (const [sa, sb] of shapePairs) binaryCases.push([name, sa, sb, f]);

const unaries: [string, (x: Tensor) => Tensor][] = [
  ['neg', op.neg],
  ['sigmoid', op.sigmoid],
  ['relu', op.relu],
  ['tanh', op.tanh],
  ['exp', op.exp],
  ['log', (x) => op.log(op.add(op.square(x), 0.3))],
  ['sin', op.sin],
  ['cos', op.cos],
  ['sqrt', (x) => op.sqrt(op.add(op.square(x), 0.3))],
  ['pow(x, 3)', (x) => op.pow(x, 3)],
  ['clip', (x) => op.clip(x, -0.5, 0.4)],
  ['clip upper only', (x) => op.clip(x, null, 0.2)],
  ['where', (x) => op.where(op.greater(x, 0.1), op.mul(x, 3), op.square(x))],
  ['floor passes no gradient', (x) => op.add(op.floor(op.mul(x, 3)), x)],
];

async function check(f: (g: Graph, p: Params) => Tensor): Promise<void> {
  const res = await gradCheck(f, { dtype: 'float64' });
  for (const r of res.params)
    expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(1e-6);
}

describe('elementwise VJPs (float64 finite differences)', () => {
  it.each(binaryCases)('%s %j %j', async (_n, sa, sb, f) => {
    await check((_g, p) => f(p.param('a', sa, U), p.param('b', sb, U)));
  });

  it.each(unaries)('%s', async (_n, f) => {
    await check((_g, p) => f(p.param('x', [3, 5], U)));
  });

  // ORT fuses x*sigmoid(x) into QuickGelu, which has no float64 kernel: check it in float32.
  it('silu (float32)', async () => {
    const res = await gradCheck((_g, p) => op.silu(p.param('x', [3, 5], U)), { dtype: 'float32' });
    expect(res.worst).toBeLessThan(1e-3);
  });

  it('silu whose sigmoid also feeds other ops (float32)', async () => {
    const res = await gradCheck(
      (_g, p) => {
        const x = p.param('x', [3, 5], U);
        const s = op.sigmoid(x);
        return op.add(op.mul(s, x), op.mul(s, op.cos(x)));
      },
      { dtype: 'float32' },
    );
    expect(res.worst).toBeLessThan(1e-3);
  });

  it('stopGradient blocks the gradient of one factor', async () => {
    // d/dx [stop(x) * x] is stop(x): the derivative of c*x at c = x.
    const stopped = await gradCheck(
      (_g, p) => op.mul(op.stopGradient(p.param('x', [6], U)), p.param('x2', [6], U)),
      {
        dtype: 'float64',
      },
    );
    const plain = await gradCheck(
      (_g, p) => op.mul(p.param('x', [6], U), op.stopGradient(p.param('x2', [6], U))),
      {
        dtype: 'float64',
      },
    );
    expect(stopped.params[0]!.analytic).toBe(0);
    expect(plain.params[1]!.analytic).toBe(0);
    expect(stopped.params[1]!.relErr).toBeLessThan(1e-6);
    expect(plain.params[0]!.relErr).toBeLessThan(1e-6);
  });

  it('straightThrough takes the value of q and the gradient of y', async () => {
    const q = (x: Tensor): Tensor => op.floor(op.mul(op.sigmoid(x), 2));
    const ste = await gradCheck(
      (_g, p) => {
        const x = p.param('x', [8], U);
        return op.straightThrough(op.tanh(x), q(x));
      },
      { dtype: 'float64' },
    );
    const smooth = await gradCheck((_g, p) => op.tanh(p.param('x', [8], U)), { dtype: 'float64' });
    expect(ste.params[0]!.analytic).toBeCloseTo(smooth.params[0]!.numeric, 6);
  });

  it('sums the gradient of a tensor used several times', async () => {
    await check((_g, p) => {
      const x = p.param('x', [4], U);
      return op.mul(op.sigmoid(x), op.add(x, op.exp(x)));
    });
  });
});
