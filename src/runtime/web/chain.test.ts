import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InferenceSession } from 'onnxruntime-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initialNoise,
  karrasSigmas,
  sample,
  SOLVER_NAMES,
  SOLVERS,
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
 * against core.sample on the same model (e2e/webgpu.spec.ts runs it on a WebGPU adapter).
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

const xT = () => initialNoise([11, 12], 24, 80);
/**
 * float32 rounding of the same sums in another order, relative to the values' size (x_T ~ 80);
 * `scale` = sigma for d = (x - D) / sigma, whose rounding grows as 1 / sigma.
 */
const closeTo = (a: Float32Array, b: Float32Array, scale = 1) => {
  expect(a.length).toBe(b.length);
  const err = (v: number, j: number) => (scale * Math.abs(v - b[j])) / (1 + scale * Math.abs(b[j]));
  expect(a.reduce((m, v, j) => Math.max(m, err(v, j)), 0)).toBeLessThan(2e-5);
};

describe('StepChain', () => {
  const cases = SOLVER_NAMES.flatMap((s): [SolverName, boolean][] =>
    SOLVERS[s].afs ? [[s, true]] : [[s, false]],
  );

  it.each(cases)('%s (afs %s) gives core.sample and its step reports', async (solver, afs) => {
    const opts = {
      solver,
      sigmas: karrasSigmas(4),
      batch: BATCH,
      afs,
      seed: 9,
      churn: SOLVERS[solver].churn ? 30 : undefined,
      sigmaData: 0.5,
    };
    const reports: StepInfo[] = [];
    const cpu = await sample({
      ...opts,
      x: xT(),
      denoise: model.bind(BATCH, code),
      onStep: (s) => reports.push(s),
    });
    const queued: number[] = [];
    const gpu = await chain.sample({
      ...opts,
      x: xT(),
      code,
      trace: true,
      onStep: (i) => queued.push(i),
    });
    expect(gpu.nfe).toBe(cpu.nfe);
    closeTo(gpu.x, cpu.x);
    expect(queued).toEqual([0, 1, 2, 3]);
    expect(gpu.steps?.map((s) => [s.i, s.sigma, s.sigmaNext])).toEqual(
      reports.map((s) => [s.i, s.sigma, s.sigmaNext]),
    );
    gpu.steps?.forEach((s, i) => {
      closeTo(s.x, reports[i].x);
      closeTo(s.denoised, reports[i].denoised);
      closeTo(s.d, reports[i].d, s.sigma);
    });
  });

  it('reads back no steps unless traced, and leaves x_T alone', async () => {
    const x = xT();
    const out = await chain.sample({ solver: 'euler', sigmas: karrasSigmas(3), x, code, batch: 2 });
    expect(out.steps).toBeNull();
    expect(x).toEqual(xT());
  });

  it('stops when the step callback throws', async () => {
    const run = chain.sample({
      solver: 'heun',
      sigmas: karrasSigmas(5),
      x: xT(),
      code,
      batch: 2,
      onStep: (i) => {
        if (i === 2) throw new Error('cancelled at 2');
      },
    });
    await expect(run).rejects.toThrow('cancelled at 2');
  });

  it('names a wrong x or code size', async () => {
    const base = { solver: 'euler' as const, sigmas: karrasSigmas(2), batch: 2 };
    await expect(chain.sample({ ...base, x: new Float32Array(5), code })).rejects.toThrow(
      /denoiser\.onnx.*x.*expected 2x2x3x4 = 48 values, got 5/,
    );
    await expect(chain.sample({ ...base, x: xT() })).rejects.toThrow(/code.*got none/);
  });
});
