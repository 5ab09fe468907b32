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
import { writeFixtureModel } from '../testing/fixture-model';
import { StepChain } from './chain';
import { ortWeb } from './ort';
import { loadModelWeb, type WebLoadedModel } from '.';

/*
 * The chain's tensors, linear-combination graphs and ownership are the same on every EP; only
 * where the buffers live differs. Node has no WebGPU, so this runs the chain on ORT's wasm EP
 * against core.samplePlan on the same model (e2e/webgpu.spec.ts runs it on a WebGPU adapter).
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
/** A plan of `steps` steps on the fixture's shape, every sample under the fixed `code`. */
const planOf = (solver: SolverName, steps: number, more: Partial<RunSettings> = {}) => {
  const afs = more.afs ?? false;
  const settings = { solver, nfe: nfeForSteps(solver, steps, afs), afs, gridEnd: 'zero' as const };
  const plan = planRun(PLAN_MODEL, { ...settings, batch: BATCH, seed: 11, code: null, ...more });
  return { ...plan, codeSigns: code };
};
/**
 * float32 rounding of the same sums in another order, relative to the values' size (x_T ~ 80);
 * `scale` = sigma for d = (x - D) / sigma, whose rounding grows as 1 / sigma.
 */
const closeTo = (a: Float32Array, b: Float32Array, scale = 1, tol = 2e-5) => {
  expect(a.length).toBe(b.length);
  const err = (v: number, j: number) => (scale * Math.abs(v - b[j])) / (1 + scale * Math.abs(b[j]));
  expect(a.reduce((m, v, j) => Math.max(m, err(v, j)), 0)).toBeLessThan(tol);
};

describe('StepChain', () => {
  const cases = SOLVER_NAMES.flatMap((s): [SolverName, boolean][] =>
    SOLVERS[s].afs ? [[s, true]] : [[s, false]],
  );

  it.each(cases)('%s (afs %s) gives core.samplePlan and its step reports', async (solver, afs) => {
    const plan = planOf(solver, 4, { afs, churn: SOLVERS[solver].churn ? 30 : undefined });
    const reports: StepInfo[] = [];
    const cpu = await samplePlan(plan, {
      denoise: model.bind(BATCH, code),
      onStep: (s) => reports.push(s),
    });
    const queued: number[] = [];
    const gpu = await chain.sample(plan, { trace: true, onStep: (i) => queued.push(i) });
    expect(gpu.nfe).toBe(cpu.nfe);
    closeTo(gpu.x, cpu.x);
    expect(queued).toEqual([0, 1, 2, 3]);
    expect(gpu.steps?.map((s) => [s.i, s.sigma, s.sigmaNext])).toEqual(
      reports.map((s) => [s.i, s.sigma, s.sigmaNext]),
    );
    // edm-sde's churn (30) re-noises x before each call, which grows the rounding: its step
    // reports differ by 1e-5 to 6e-5 over seeds 1-12 (the same before samplePlan; heun, the same
    // steps without churn, under 4.1e-6), so 2e-5 held only for some seeds.
    const tol = SOLVERS[solver].churn ? 1e-4 : 2e-5;
    gpu.steps?.forEach((s, i) => {
      closeTo(s.x, reports[i].x, 1, tol);
      closeTo(s.denoised, reports[i].denoised, 1, tol);
      closeTo(s.d, reports[i].d, s.sigma, tol);
    });
  });

  it('reads back no steps unless traced, and leaves x_T alone', async () => {
    const plan = planOf('euler', 3);
    const xT = plan.xT.slice();
    const out = await chain.sample(plan);
    expect(out.steps).toBeNull();
    expect(plan.xT).toEqual(xT);
  });

  it('stops when the step callback throws', async () => {
    const run = chain.sample(planOf('heun', 5), {
      onStep: (i) => {
        if (i === 2) throw new Error('cancelled at 2');
      },
    });
    await expect(run).rejects.toThrow('cancelled at 2');
  });

  it('names a wrong x or code size', async () => {
    const settings = { solver: 'euler' as const, nfe: 2, afs: false, gridEnd: 'zero' as const };
    const small = planRun(
      { ...PLAN_MODEL, imageSize: 3 },
      { ...settings, batch: 2, seed: 11, code: null },
    );
    await expect(chain.sample({ ...small, codeSigns: code })).rejects.toThrow(
      /denoiser\.onnx.*x.*expected 2x2x3x4 = 48 values, got 6/,
    );
    await expect(chain.sample({ ...planOf('euler', 2), codeSigns: undefined })).rejects.toThrow(
      /code.*got none/,
    );
  });
});
