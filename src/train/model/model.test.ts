import { describe, expect, it } from 'vitest';
import { quantize as coreQuantize } from '../../core';
import { buildGradientGraph, forwardModel, Graph, op, Params } from '../../graph';
import { GraphSession } from '../../runtime/train-session';
import { presetFor, PRESETS } from './config';
import { quantize } from './encoder';
import { denoiserGraph, IO, parameterCounts, trainGraph } from './networks';
import { SIGMA_DATA } from './precond';

describe('presets', () => {
  it.each(['mnist', 'rgb32'])('%s: the encoder is a few percent of the denoiser', (name) => {
    const counts = parameterCounts(trainGraph(presetFor(name), 'qac', 1).params);
    expect(counts.denoiser).toBeGreaterThan(300_000);
    expect(counts.encoder / counts.denoiser).toBeGreaterThan(0.002);
    expect(counts.encoder / counts.denoiser).toBeLessThan(0.05);
  });

  it('the baseline is the same denoiser without the condition path', () => {
    const cfg = presetFor('mnist');
    const qac = trainGraph(cfg, 'qac', 1).params.specs.map((s) => s.name);
    const base = trainGraph(cfg, 'baseline', 1).params.specs.map((s) => s.name);
    expect(base).toEqual(qac.filter((n) => !n.startsWith('enc.') && !n.startsWith('den.cond.')));
    expect(qac.some((n) => n.startsWith('den.cond.'))).toBe(true);
  });

  it('refuses sizes it cannot build and unknown presets, naming them', () => {
    expect(() => presetFor('huge')).toThrow(/unknown preset "huge"; known presets: mnist/);
    const odd = { ...PRESETS.mnist!, height: 30, mults: [1, 2, 2, 2] };
    expect(() => trainGraph(odd, 'qac', 1)).toThrow(/cannot be halved 3 times/);
  });
});

describe('quantizer', () => {
  async function run(levels: number, y: Float32Array) {
    const g = new Graph();
    const q = quantize(g.input('y', [y.length]), levels);
    const s = await GraphSession.create(
      forwardModel(g, { levels: q.levels, signed: q.signed, ste: q.ste }),
    );
    try {
      return await s.run({ y });
    } finally {
      await s.release();
    }
  }

  it.each([2, 3, 5])(
    'L = %i: levels agree with core and signed values span [-1, 1]',
    async (levels) => {
      const y = Float32Array.from({ length: 64 }, (_, i) => (i - 32) / 6);
      y[0] = 0;
      y[1] = -0;
      const out = await run(levels, y);
      const want = coreQuantize(y, levels);
      expect(Array.from(out.levels as Float32Array)).toEqual(Array.from(want));
      const signed = out.signed as Float32Array;
      want.forEach((q, i) => expect(signed[i]).toBeCloseTo((2 * q) / (levels - 1) - 1, 6));
      (out.ste as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(signed[i]!, 5));
    },
  );

  it('passes the gradient of L sigmoid(y) straight through (scaled by 2 / (L - 1))', async () => {
    const g = new Graph();
    const p = Params.create(g);
    const y = p.param('y', [4], { kind: 'constant', value: 0.3 });
    const c = g.constant([1, -2, 3, 0.5], [4]);
    const graph = buildGradientGraph(p, op.reduceSum(op.mul(quantize(y, 3).ste, c), null));
    const s = await GraphSession.create(graph);
    try {
      const out = await s.run({ y: Float32Array.of(0.3, -4, 2, 0) });
      const y0 = [0.3, -4, 2, 0];
      const weights = [1, -2, 3, 0.5];
      const got = out['grad.y'] as Float32Array;
      y0.forEach((v, i) => {
        const s = 1 / (1 + Math.exp(-v));
        // L = 3: scale 2 / (L - 1) = 1, d(L sigmoid(y))/dy = 3 s (1 - s).
        expect(got[i]).toBeCloseTo(weights[i]! * 3 * s * (1 - s), 5);
      });
    } finally {
      await s.release();
    }
  });
});

describe('preconditioning', () => {
  it('an untrained network (zero output conv) is exactly the c_skip part of D', async () => {
    const cfg = presetFor('tiny');
    const built = denoiserGraph(cfg, 'qac', 2);
    const s = await GraphSession.create(forwardModel(built.graph, { [IO.denoised]: built.output }));
    const params = Object.fromEntries(built.params.initialValues(0));
    const size = cfg.channels * cfg.height * cfg.width;
    const x = Float32Array.from({ length: 2 * size }, (_, i) => Math.cos(i));
    const sigma = Float32Array.of(0.2, 30);
    const code = new Float32Array(2 * cfg.bits).fill(1);
    try {
      const d = (await s.run({ ...params, x, sigma, code }))[IO.denoised] as Float32Array;
      for (let i = 0; i < x.length; i++) {
        const sg = sigma[Math.floor(i / size)]!;
        expect(d[i]).toBeCloseTo((x[i]! * SIGMA_DATA ** 2) / (sg * sg + SIGMA_DATA ** 2), 5);
      }
    } finally {
      await s.release();
    }
  });
});
