import {
  initialNoise,
  makeSigmas,
  sample,
  sampleSeeds,
  stepsForNfe,
  type SampleOptions,
  type StepInfo,
} from '../../core';
import type { LoadedModel } from '../../runtime';
import type { StepChain } from '../../runtime/web';
import type { ModelRun, SampleParams, StepPath, Timing } from './protocol';
import { codeSigns } from './codes';
import { trajectoryOf } from './trajectory';

/** Thrown from a step callback when the request was cancelled; the solver stops there. */
export class Cancelled extends Error {}

export interface RunHooks {
  /** Throws Cancelled when the request is gone. */
  check: () => void;
  progress?: (step: number, steps: number) => void;
}

export function sigmasFor(
  model: LoadedModel,
  p: Pick<SampleParams, 'solver' | 'nfe' | 'afs' | 'gridEnd'>,
) {
  const steps = stepsForNfe(p.solver, p.nfe, p.afs);
  const m = model.manifest;
  return makeSigmas('karras', steps, {
    sigmaMin: m.sigmaMin,
    sigmaMax: m.sigmaMax,
    end: p.gridEnd,
  });
}

/** x_T for a batch: sample k from seed k (or the given per-sample seeds), shared by both models. */
export function noiseFor(model: LoadedModel, batch: number, seed: number, seeds?: number[]) {
  return initialNoise(sampleSeeds(batch, seed, seeds), model.imageSize, model.manifest.sigmaMax);
}

/** The settings of one model's run over a batch from x_T, the code of each sample bound. */
function runSettings(model: LoadedModel, p: SampleParams, xT: Float32Array, codes: number[]) {
  const batch = codes.length;
  return {
    solver: p.solver,
    sigmas: sigmasFor(model, p),
    x: xT,
    batch,
    afs: p.afs,
    sigmaData: model.manifest.sigmaData,
    seed: p.seed,
    ...(p.solver === 'edm-sde' ? { churn: p.churn } : {}),
    code: model.codeBits > 0 ? codeSigns(codes, model.codeBits) : undefined,
  };
}

/**
 * What `core.sample` needs for a run of these settings: the denoiser bound to each sample's code
 * (`codes` holds code indices; a baseline ignores them).
 */
function withDenoiser(
  model: LoadedModel,
  settings: ReturnType<typeof runSettings> & { seeds?: number[] },
): SampleOptions & { sigmas: number[]; batch: number } {
  const { code, ...rest } = settings;
  return { ...rest, denoise: model.bind(rest.batch, code) };
}

/** Where a run's steps are computed (see StepPath). */
export interface Engine {
  model: LoadedModel;
  /** The model's GPU chain when it is in use, else null (core.sample on read-back outputs). */
  chain: StepChain | null;
  /** What a run without the chain is: on WebGPU each output is read back, on wasm all is CPU. */
  unchained: StepPath;
}

interface Ran {
  images: Float32Array;
  nfe: number;
  ms: number;
  sigmas: number[];
  /** Sample 0's step reports when traced, else null. */
  steps: StepInfo[] | null;
  path: StepPath;
}

/**
 * One model's run over a batch from x_T. `trace` keeps sample 0's step reports; on the GPU chain
 * they stay on the GPU until the run ends, so tracing costs no per-step readback either.
 */
async function execute(
  engine: Engine,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
  hooks: RunHooks,
  trace: boolean,
  seeds?: number[],
): Promise<Ran> {
  const { model, chain } = engine;
  const size = model.imageSize;
  const settings = { ...runSettings(model, p, xT, codes), seeds };
  const { sigmas } = settings;
  const stepDone = (i: number) => {
    hooks.check();
    hooks.progress?.(i + 1, sigmas.length - 1);
  };
  const first = (s: StepInfo): StepInfo => ({
    ...s,
    x: s.x.slice(0, size),
    denoised: s.denoised.slice(0, size),
    d: s.d.slice(0, size),
  });
  const t0 = performance.now();
  if (chain) {
    const r = await chain.sample({ ...settings, trace, onStep: stepDone });
    const ms = performance.now() - t0;
    hooks.check();
    const steps = r.steps?.map(first) ?? null;
    return { images: r.x, nfe: r.nfe, ms, sigmas, steps, path: 'gpu-chained' };
  }
  const steps: StepInfo[] = [];
  const { x, nfe } = await sample({
    ...withDenoiser(model, settings),
    onStep: (s) => {
      if (trace) steps.push(first(s));
      stepDone(s.i);
    },
  });
  const ms = performance.now() - t0;
  hooks.check();
  return { images: x, nfe, ms, sigmas, steps: trace ? steps : null, path: engine.unchained };
}

/** One model's run over a batch from x_T (see runSettings), recording sample 0's trajectory. */
export async function runModel(
  engine: Engine,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
  hooks: RunHooks,
  seeds?: number[],
): Promise<ModelRun> {
  const r = await execute(engine, p, xT, codes, hooks, true, seeds);
  const size = engine.model.imageSize;
  const trajectory = trajectoryOf(r.steps!, r.sigmas, r.images.slice(0, size));
  return { images: r.images, nfe: r.nfe, ms: r.ms, path: r.path, trajectory };
}

/** A run whose intermediates nobody shows (the NFE sweep, the code gallery): images only. */
export async function runImages(
  engine: Engine,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
  hooks: RunHooks,
  seeds?: number[],
): Promise<{ images: Float32Array; nfe: number; steps: number }> {
  const r = await execute(engine, p, xT, codes, hooks, false, seeds);
  return { images: r.images, nfe: r.nfe, steps: r.sigmas.length - 1 };
}

const TIMING_ROUNDS = 9;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The sampler's overhead on this backend, on the same batch and code binding throughout, after a
 * warm-up of each: the requested NFE as bare denoiser calls, as a run of the sampler alone, and as
 * the run a Sample request makes (recording sample 0's intermediates and curvature, posting
 * progress). The three are interleaved over several rounds and each reported as its median, so
 * other load on the machine lands on all of them alike. The sampler run also times its calls, so
 * its own work (the solver's arithmetic, copies and checks) is known apart from load noise.
 */
export async function measureOverhead(
  engine: Engine,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
  hooks: RunHooks,
): Promise<Timing> {
  const { model } = engine;
  const options = withDenoiser(model, runSettings(model, p, xT, codes));
  const { denoise, sigmas } = options;
  let inCalls = 0;
  const timed: typeof denoise = async (x, sigma) => {
    const t = performance.now();
    const out = await denoise(x, sigma);
    inCalls += performance.now() - t;
    return out;
  };
  await denoise(xT, sigmas[0]);
  await sample(options);
  await runModel(engine, p, xT, codes, hooks);
  const calls: number[] = [];
  const runs: number[] = [];
  const own: number[] = [];
  const appRuns: number[] = [];
  let nfe = 0;
  const phases = [
    async () => {
      const t = performance.now();
      for (let i = 0; i < p.nfe; i++) await denoise(xT, sigmas[Math.min(i, sigmas.length - 2)]);
      calls.push((performance.now() - t) / p.nfe);
    },
    async () => {
      inCalls = 0;
      const t = performance.now();
      ({ nfe } = await sample({ ...options, denoise: timed }));
      const ms = performance.now() - t;
      runs.push(ms);
      own.push(ms - inCalls);
    },
    async () => {
      const t = performance.now();
      await runModel(engine, p, xT, codes, hooks);
      appRuns.push(performance.now() - t);
    },
  ];
  // Each round takes the three in a rotated order, so what one leaves behind (the main thread
  // drawing the app run's progress, garbage to collect) slows each of them alike.
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    for (let k = 0; k < phases.length; k++) await phases[(round + k) % phases.length]();
  }
  return {
    nfe,
    callMs: median(calls),
    runMs: median(runs),
    ownMs: median(own),
    appRunMs: median(appRuns),
  };
}
