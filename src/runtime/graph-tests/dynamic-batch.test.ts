import { describe, expect, it } from 'vitest';
import { exportModel, Graph, kaiming, op, Params, type ModelGraph } from '../../graph';
import { GraphSession } from '../train-session';

/** conv -> groupNorm -> pool -> linear, with a per-sample scale fed as [B]: the shapes a U-Net uses. */
function net(p: Params, x: ReturnType<Graph['input']>, s: ReturnType<Graph['input']>) {
  const n = x.shape[0]!;
  const h = op.conv2d(x, p.param('w', [4, 1, 3, 3], kaiming(9)), p.param('b', [4], kaiming(9)), {
    pad: 1,
  });
  const gn = op.groupNorm(
    h,
    p.param('g', [4], { kind: 'ones' }),
    p.param('be', [4], { kind: 'zeros' }),
    2,
  );
  const scaled = op.mul(op.silu(gn), op.reshape(s, [n, 1, 1, 1]));
  const pooled = op.reshape(op.globalAvgPool(scaled), [n, 4]);
  return op.linear(pooled, p.param('l', [3, 4], kaiming(4)), null);
}

function build(batch: number, dynamic: boolean): ModelGraph {
  const values = Params.create(new Graph());
  net(values, values.graph.input('x', [1, 1, 5, 5]), values.graph.input('s', [1]));
  const init = values.initialValues(3);
  const g = new Graph();
  const p = Params.create(g, { kind: 'export', values: init });
  const y = net(p, g.input('x', [batch, 1, 5, 5]), g.input('s', [batch]));
  return exportModel(g, { y }, 'net', dynamic ? { dynamicBatch: 'batch' } : {});
}

const withBatch = (m: ModelGraph, b: number): ModelGraph => ({
  model: m.model,
  inputs: m.inputs.map((i) => ({ ...i, shape: [b, ...i.shape.slice(1)] })),
  outputs: m.outputs.map((o) => ({ ...o, shape: [b, ...o.shape.slice(1)] })),
});

async function run(m: ModelGraph, x: Float32Array, s: Float32Array): Promise<Float32Array> {
  const session = await GraphSession.create(m, { threads: 1 });
  try {
    return (await session.run({ x, s })).y as Float32Array;
  } finally {
    await session.release();
  }
}

describe('dynamic batch export', () => {
  it('runs a graph built at batch 2 at batch 1 and 3 with the per-sample results of static graphs', async () => {
    const dyn = build(2, true);
    const x = Float32Array.from({ length: 3 * 25 }, (_, i) => Math.sin(i * 0.7));
    const s = Float32Array.of(0.5, 2, -1);
    const three = await run(withBatch(dyn, 3), x, s);
    for (let k = 0; k < 3; k++) {
      const one = await run(build(1, false), x.slice(k * 25, (k + 1) * 25), s.slice(k, k + 1));
      const dynOne = await run(withBatch(dyn, 1), x.slice(k * 25, (k + 1) * 25), s.slice(k, k + 1));
      for (let j = 0; j < 3; j++) {
        expect(three[k * 3 + j]).toBeCloseTo(one[j]!, 5);
        expect(dynOne[j]).toBeCloseTo(one[j]!, 5);
      }
    }
  });
});
