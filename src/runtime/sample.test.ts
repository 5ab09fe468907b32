import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSettings } from '../core';
import { loadModelNode } from './node';
import { sampleModel, samplePair } from './sample';
import type { LoadedModel } from './types';
import { StepChain } from './web/chain';
import { ortWeb } from './web/ort';

/* samplePair, the one sampling entry of the app's worker and the CLIs, on the shipped pair. */

const QAC = 'models/fashion-mnist-qac';
const BASELINE = 'models/fashion-mnist-baseline';
const SETTINGS: RunSettings = {
  solver: 'dpmpp-2m',
  nfe: 5,
  afs: false,
  gridEnd: 'sigmaMin',
  batch: 2,
  seed: 7,
  code: null,
};

let qac: LoadedModel;
let baseline: LoadedModel;
let session: InferenceSession;
let chain: StepChain;
beforeAll(async () => {
  [qac, baseline] = await Promise.all([loadModelNode(QAC), loadModelNode(BASELINE)]);
  // The web runtime's step chain on ORT's wasm EP (Node has no WebGPU; e2e/webgpu.spec.ts).
  const ort = await ortWeb(false);
  const file = `${QAC}/denoiser.onnx`;
  session = await ort.InferenceSession.create(await readFile(file), {
    executionProviders: ['wasm'],
  });
  const { channels, height, width } = qac.manifest.image;
  chain = new StepChain(ort, session, file, [channels, height, width], qac.codeBits, 'wasm');
});
afterAll(async () => {
  await chain?.release();
  await session?.release();
  await Promise.all([qac?.dispose(), baseline?.dispose()]);
});

/** Largest |a - b| relative to the values' size. */
function worst(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j]) / (1 + Math.abs(b[j]))), 0);
}

describe('samplePair', () => {
  it("runs one plan on both models: each gives its own run's pixels from the same x_T", async () => {
    const r = await samplePair({ qac, baseline }, SETTINGS);
    const opts = { solver: SETTINGS.solver, nfe: 5, seed: 7, batch: 2, end: 'sigmaMin' } as const;
    const alone = await sampleModel(qac, opts);
    const base = await sampleModel(baseline, opts);
    expect(r.plan.codes).toEqual(alone.codes);
    expect(r.plan.xT).toEqual(base.xT);
    expect(r.qac.x).toEqual(alone.x);
    expect(r.baseline!.x).toEqual(base.x);
    expect([r.qac.nfe, r.baseline!.nfe]).toEqual([5, 5]);
    expect([r.qac.chained, r.qac.steps, r.baseline!.steps]).toEqual([false, null, null]);
    // The code changes the QAC model's samples, not the baseline's.
    expect(worst(r.qac.x, r.baseline!.x)).toBeGreaterThan(1e-2);
  });

  it("traces sample 0's steps and reports each model's progress", async () => {
    const progress: [string, number, number][] = [];
    const r = await samplePair({ qac, baseline }, SETTINGS, {
      trace: true,
      progress: (model, step, steps) => progress.push([model, step, steps]),
    });
    const { steps } = r.plan;
    const counted = Array.from({ length: steps }, (_, i) => i + 1);
    expect(progress).toEqual([
      ...counted.map((i) => ['qac', i, steps]),
      ...counted.map((i) => ['baseline', i, steps]),
    ]);
    const size = qac.imageSize;
    for (const run of [r.qac, r.baseline!]) {
      expect(run.steps!.map((s) => s.sigma)).toEqual(r.plan.sigmas.slice(0, steps));
      expect(run.steps!.every((s) => s.x.length === size && s.d.length === size)).toBe(true);
      expect(run.steps![0].x).toEqual(r.plan.xT.slice(0, size));
    }
  });

  it("on a step chain gives the unchained pixels and sample 0's reports", async () => {
    const cpu = await samplePair({ qac, baseline: null }, SETTINGS, { trace: true });
    const chained = await samplePair({ qac, baseline: null }, SETTINGS, {
      trace: true,
      chain: () => chain,
    });
    expect(chained.qac.chained).toBe(true);
    expect(chained.qac.nfe).toBe(cpu.qac.nfe);
    expect(worst(chained.qac.x, cpu.qac.x)).toBeLessThan(1e-4);
    expect(chained.qac.steps!.length).toBe(cpu.qac.steps!.length);
    chained.qac.steps!.forEach((s, i) => {
      expect(s.x.length).toBe(qac.imageSize);
      expect(worst(s.denoised, cpu.qac.steps![i].denoised)).toBeLessThan(1e-4);
    });
  });

  it('stops at the interrupt before the next denoiser call', async () => {
    let calls = 0;
    const run = samplePair({ qac, baseline }, SETTINGS, {
      interrupt: () => {
        if (++calls === 3) throw new Error('superseded');
      },
    });
    await expect(run).rejects.toThrow('superseded');
    expect(calls).toBe(3);
  });

  it('refuses a fixed code on a baseline and a plan the settings cannot make', async () => {
    const code = { ...SETTINGS, code: 3 };
    await expect(samplePair({ qac: baseline, baseline: null }, code)).rejects.toThrow(
      /fashion-mnist-baseline is a baseline model: it takes no code/,
    );
    await expect(
      samplePair({ qac, baseline }, { ...SETTINGS, nfe: 4, solver: 'heun' }),
    ).rejects.toThrow(/heun cannot spend exactly 4 NFE; nearest: 3 or 5/);
    await expect(
      samplePair({ qac, baseline }, { ...SETTINGS, churn: -1, solver: 'edm-sde', nfe: 5 }),
    ).rejects.toThrow(/churn must be a number >= 0, got -1/);
  });
});
