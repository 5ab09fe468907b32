import { describe, expect, it } from 'vitest';
import {
  exportModel,
  forwardModel,
  Graph,
  initValues,
  kaiming,
  op,
  Params,
  type Tensor,
} from '../../graph';
import { checkOnnx, onnxCheckerMissing } from '../../graph/onnx-checker.testkit';
import { GraphSession, runOnceWebWasm, type TensorValues } from '../train-session';

// A denoiser-shaped model touching every op family an export may contain.
function net(p: Params, x: Tensor, sigma: Tensor): { out: Tensor; bits: Tensor } {
  const n = x.shape[0]!;
  const freqs = x.graph.constant([1, 2, 4, 8], [1, 4]);
  const ang = op.mul(op.reshape(op.log(sigma), [n, 1]), freqs);
  const emb = op.concat([op.sin(ang), op.cos(ang)], 1);
  const t = op.silu(
    op.linear(emb, p.param('emb.w', [8, 8], kaiming(8)), p.param('emb.b', [8], kaiming(8))),
  );
  const h0 = op.silu(
    op.conv2d(x, p.param('c0.w', [8, 1, 3, 3], kaiming(9)), p.param('c0.b', [8], kaiming(9)), {
      pad: 1,
    }),
  );
  const h1 = op.conv2d(
    h0,
    p.param('c1.w', [8, 8, 3, 3], kaiming(72)),
    p.param('c1.b', [8], kaiming(72)),
    {
      stride: 2,
      pad: 1,
    },
  );
  const gn = op.groupNorm(
    h1,
    p.param('gn.g', [8], { kind: 'ones' }),
    p.param('gn.b', [8], { kind: 'zeros' }),
    4,
  );
  const h2 = op.relu(op.add(gn, op.reshape(t, [n, 8, 1, 1])));
  const up = op.upsample2x(h2);
  const cat = op.concat([up, h0], 1);
  const out = op.conv2d(cat, p.param('out.w', [1, 16, 3, 3], kaiming(144)), null, { pad: 1 });
  // Encoder-style head: pooled features, FSQ with L = 2 levels (docs/math.md §2).
  const y = op.linear(
    op.reshape(op.globalAvgPool(h2), [n, 8]),
    p.param('enc.w', [4, 8], kaiming(8)),
    null,
  );
  const bits = op.clip(op.floor(op.mul(op.sigmoid(y), 2)), null, 1);
  return { out: op.div(op.sub(out, op.sqrt(op.pow(sigma, 2))), 3), bits };
}

describe('export', () => {
  const values = (() => {
    const g = new Graph();
    const p = Params.create(g);
    net(p, g.input('x', [2, 1, 8, 8]), g.input('sigma', [2, 1, 1, 1]));
    return p.initialValues(11);
  })();
  const feeds: Record<string, TensorValues> = {
    x: initValues({ kind: 'uniform', bound: 1 }, [2 * 64], 1, 'x'),
    sigma: Float32Array.of(0.3, 2.5),
  };
  const exported = (() => {
    const g = new Graph();
    const p = Params.create(g, { kind: 'export', values });
    const { out, bits } = net(p, g.input('x', [2, 1, 8, 8]), g.input('sigma', [2, 1, 1, 1]));
    return exportModel(g, { out, bits });
  })();

  it('has parameters as initializers and only data inputs', () => {
    expect(exported.inputs.map((i) => i.name)).toEqual(['x', 'sigma']);
    expect(exported.outputs.map((o) => o.name)).toEqual(['out', 'bits']);
  });

  it('passes onnx.checker (full check)', (ctx) => {
    const missing = onnxCheckerMissing();
    if (missing) {
      console.warn(`skipped: ${missing}`);
      ctx.skip();
    }
    expect(checkOnnx({ model: exported.model })).toBe('ok');
  });

  it('gives the same outputs in onnxruntime-web (wasm), onnxruntime-node and the training graph', async () => {
    const node = await (await GraphSession.create(exported)).run(feeds);
    const web = await runOnceWebWasm(exported, feeds);
    const gt = new Graph();
    const pt = Params.create(gt);
    const { out, bits } = net(pt, gt.input('x', [2, 1, 8, 8]), gt.input('sigma', [2, 1, 1, 1]));
    const train = await (
      await GraphSession.create(forwardModel(gt, { out, bits }))
    ).run({
      ...feeds,
      ...Object.fromEntries(values),
    });
    for (const name of ['out', 'bits']) {
      const a = node[name] as Float32Array;
      const b = web[name] as Float32Array;
      const c = train[name] as Float32Array;
      expect(a.length).toBe(b.length);
      let maxWeb = 0;
      let maxTrain = 0;
      for (let i = 0; i < a.length; i++) {
        maxWeb = Math.max(maxWeb, Math.abs(a[i]! - b[i]!));
        maxTrain = Math.max(maxTrain, Math.abs(a[i]! - c[i]!));
      }
      expect(maxWeb, name).toBeLessThanOrEqual(1e-5);
      expect(maxTrain, name).toBeLessThanOrEqual(1e-5);
    }
    expect([...(node.bits as Float32Array)].every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.max(...(node.out as Float32Array).map(Math.abs))).toBeGreaterThan(0);
  });
});
