import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InferenceSession } from 'onnxruntime-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nfeForSteps,
  planRun,
  samplePlan,
  SOLVER_NAMES,
  SOLVERS,
  type PlanModel,
  type RunSettings,
  type SolverName,
  type StepInfo,
} from '../../core';
import { samplePair } from '../sample';
import { writeFixtureModel } from '../testing/fixture-model';
import { StepChain } from './chain';
import { ortWeb } from './ort';
import { loadModelWeb, type WebLoadedModel } from '.';

/*
 * The chain's tensors, linear-combination graphs and ownership are the same on every EP; only
 * where the buffers live differs. Node has no WebGPU, so this runs the chain on ORT's wasm EP,
 * through runtime's samplePair (the one entry that runs a plan on a chain), against
 * core.samplePlan on the same model (e2e/webgpu.spec.ts runs it on a WebGPU adapter).
 */

async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
}

const BATCH = 2;
const BITS = 3;
let root: string;
let model: WebLoadedModel;
let session: InferenceSession;
let chain: StepChain;
const code = Float32Array.from({ length: BATCH * BITS }, (_, i) => (i % 3 === 1 ? 1 : -1));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-chain-'));
  const dir = join(root, 'm');
  await writeFixtureModel(dir, { kind: 'qac', channels: 2, height: 3, width: 4, bits: BITS });
  model = await loadModelWeb(pathToFileURL(dir).href, { fetch: fileFetch, cacheName: null });
  const ort = await ortWeb(false);
  session = await ort.InferenceSession.create(await readFile(join(dir, 'denoiser.onnx')), {
    executionProviders: ['wasm'],
  });
  chain = new StepChain(ort, session, 'denoiser.onnx', [2, 3, 4], BITS, 'wasm');
});
afterAll(async () => {
  await chain?.release();
  await session?.release();
  await model?.dispose();
  await rm(root, { recursive: true, force: true });
});

const PLAN_MODEL: PlanModel = {
  name: 'm',
  sigmaMin: 0.002,
  sigmaMax: 80,
  sigmaData: 0.5,
  imageSize: 24,
  code: null,
};
/** The settings of a run of `steps` steps of `solver` on the fixture's batch. */
const settingsOf = (
  solver: SolverName,
  steps: number,
  more: Partial<RunSettings> = {},
): RunSettings => {
  const afs = more.afs ?? false;
  const nfe = nfeForSteps(solver, steps, afs);
  return { solver, nfe, afs, gridEnd: 'zero', batch: BATCH, seed: 11, code: null, ...more };
};
/** Their plan on the fixture's shape, every sample under the fixed `code`. */
const planOf = (solver: SolverName, steps: number, more: Partial<RunSettings> = {}) => ({
  ...planRun(PLAN_MODEL, settingsOf(solver, steps, more)),
  codeSigns: code,
});
/**
 * float32 rounding of the same sums in another order, relative to the values' size (x_T ~ 80);
 * `scale` = sigma for d = (x - D) / sigma, whose rounding grows as 1 / sigma.
 */
const closeTo = (a: Float32Array, b: Float32Array, scale = 1, tol = 2e-5) => {
  expect(a.length).toBe(b.length);
  const err = (v: number, j: number) => (scale * Math.abs(v - b[j])) / (1 + scale * Math.abs(b[j]));
  expect(a.reduce((m, v, j) => Math.max(m, err(v, j)), 0)).toBeLessThan(tol);
};

/** samplePair's run of `settings` on the fixture model, every sample under the fixed `code`. */
const chained = (settings: RunSettings, opts: Parameters<typeof samplePair>[2] = {}) =>
  samplePair({ qac: model, baseline: null }, settings, {
    codeSigns: code,
    chain: () => chain,
    ...opts,
  });

describe('StepChain', () => {
  const cases = SOLVER_NAMES.flatMap((s): [SolverName, boolean][] =>
    SOLVERS[s].afs ? [[s, true]] : [[s, false]],
  );

  it.each(cases)('%s (afs %s) gives core.samplePlan and its step reports', async (solver, afs) => {
    const more = { afs, churn: SOLVERS[solver].churn ? 30 : undefined };
    const plan = planOf(solver, 4, more);
    const reports: StepInfo[] = [];
    const cpu = await samplePlan(plan, {
      denoise: model.bind(BATCH, code),
      onStep: (s) => reports.push(s),
    });
    const queued: [string, number, number][] = [];
    const { plan: ran, qac: gpu } = await chained(settingsOf(solver, 4, more), {
      trace: true,
      progress: (m, step, steps) => queued.push([m, step, steps]),
    });
    expect(ran.sigmas).toEqual(plan.sigmas);
    expect(ran.xT).toEqual(plan.xT);
    expect(gpu.chained).toBe(true);
    expect(gpu.nfe).toBe(cpu.nfe);
    closeTo(gpu.x, cpu.x);
    expect(queued).toEqual([1, 2, 3, 4].map((i) => ['qac', i, 4]));
    expect(gpu.steps?.map((s) => [s.i, s.sigma, s.sigmaNext])).toEqual(
      reports.map((s) => [s.i, s.sigma, s.sigmaNext]),
    );
    // edm-sde's churn (30) re-noises x before each call, which grows the rounding: its step
    // reports differ by 1e-5 to 6e-5 over seeds 1-12 (the same before samplePlan; heun, the same
    // steps without churn, under 4.1e-6), so 2e-5 held only for some seeds.
    const tol = SOLVERS[solver].churn ? 1e-4 : 2e-5;
    // A traced run keeps sample 0 of each step.
    const size = model.imageSize;
    gpu.steps?.forEach((s, i) => {
      closeTo(s.x, reports[i].x.slice(0, size), 1, tol);
      closeTo(s.denoised, reports[i].denoised.slice(0, size), 1, tol);
      closeTo(s.d, reports[i].d.slice(0, size), s.sigma, tol);
    });
  });

  it('reads back no steps unless traced, and leaves x_T alone', async () => {
    const r = await chained(settingsOf('euler', 3));
    expect(r.qac.steps).toBeNull();
    expect(r.plan.xT).toEqual(planOf('euler', 3).xT);
  });

  it('stops when the step callback throws', async () => {
    const run = chained(settingsOf('heun', 5), {
      progress: (_, step) => {
        if (step === 3) throw new Error('stopped at step 3');
      },
    });
    await expect(run).rejects.toThrow('stopped at step 3');
  });

  it('names a wrong x or code size', () => {
    const settings = { solver: 'euler' as const, nfe: 2, afs: false, gridEnd: 'zero' as const };
    const small = planRun(
      { ...PLAN_MODEL, imageSize: 3 },
      { ...settings, batch: 2, seed: 11, code: null },
    );
    expect(() => chain.bind({ ...small, codeSigns: code })).toThrow(
      /denoiser\.onnx.*x.*expected 2x2x3x4 = 48 values, got 6/,
    );
    expect(() => chain.bind({ ...planOf('euler', 2), codeSigns: undefined })).toThrow(
      /code.*got none/,
    );
  });
});
