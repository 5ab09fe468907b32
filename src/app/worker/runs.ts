import { sample, type RunPlan, type SampleOptions, type StepInfo } from '../../core';
import type { LoadedModel } from '../../runtime';
import type { StepChain } from '../../runtime/web';
import type { ModelRun, StepPath, Timing } from './protocol';
import { trajectoryOf } from './trajectory';

/** Thrown at a run's next yield point when its request was cancelled or superseded. */
export class Cancelled extends Error {}

export interface RunHooks {
  /**
   * Awaited before every denoiser call: yields to the worker's event loop so that cancels and
   * newer requests are seen, then throws Cancelled when the request is gone.
   */
  interrupt: () => Promise<void>;
  progress?: (step: number, steps: number) => void;
}

/** Where a run's steps are computed (see StepPath). */
export interface Engine {
  model: LoadedModel;
  /** The model's GPU chain when it is in use, else null (core.sample on read-back outputs). */
  chain: StepChain | null;
  /** What a run without the chain is: on WebGPU each output is read back, on wasm all is CPU. */
  unchained: StepPath;
}

/** core.sample's options for a plan on this model: the denoiser bound to each sample's code. */
function withDenoiser(model: LoadedModel, plan: RunPlan): SampleOptions {
  return { ...plan.options, denoise: model.bind(plan.batch, plan.codeSigns) };
}

interface Ran {
  images: Float32Array;
  nfe: number;
  ms: number;
  /** Sample 0's step reports when traced, else null. */
  steps: StepInfo[] | null;
  path: StepPath;
}

/**
 * One model's run of a plan. `trace` keeps sample 0's step reports; on the GPU chain they stay on
 * the GPU until the run ends, so tracing costs no per-step readback either.
 */
async function execute(engine: Engine, plan: RunPlan, hooks: RunHooks, trace: boolean) {
  const { model, chain } = engine;
  const size = model.imageSize;
  const steps = plan.steps;
  const first = (s: StepInfo): StepInfo => ({
    ...s,
    x: s.x.slice(0, size),
    denoised: s.denoised.slice(0, size),
    d: s.d.slice(0, size),
  });
  const t0 = performance.now();
  if (chain) {
    const r = await chain.sample({
      ...plan.options,
      code: plan.codeSigns,
      trace,
      interrupt: hooks.interrupt,
      onStep: (i) => hooks.progress?.(i + 1, steps),
    });
    const ms = performance.now() - t0;
    const traced = r.steps?.map(first) ?? null;
    return { images: r.x, nfe: r.nfe, ms, steps: traced, path: 'gpu-chained' } satisfies Ran;
  }
  const reports: StepInfo[] = [];
  const { x, nfe } = await sample({
    ...withDenoiser(model, plan),
    interrupt: hooks.interrupt,
    onStep: (s) => {
      if (trace) reports.push(first(s));
      hooks.progress?.(s.i + 1, steps);
    },
  });
  const ms = performance.now() - t0;
  return {
    images: x,
    nfe,
    ms,
    steps: trace ? reports : null,
    path: engine.unchained,
  } satisfies Ran;
}

/** One model's run of a plan, recording sample 0's trajectory. */
export async function runModel(engine: Engine, plan: RunPlan, hooks: RunHooks): Promise<ModelRun> {
  const r = await execute(engine, plan, hooks, true);
  const size = engine.model.imageSize;
  const trajectory = trajectoryOf(r.steps!, plan.sigmas, r.images.slice(0, size));
  return { images: r.images, nfe: r.nfe, ms: r.ms, path: r.path, trajectory };
}

/** A run whose intermediates nobody shows (the NFE sweep, the code gallery): images only. */
export async function runImages(
  engine: Engine,
  plan: RunPlan,
  hooks: RunHooks,
): Promise<{ images: Float32Array; nfe: number }> {
  const r = await execute(engine, plan, hooks, false);
  return { images: r.images, nfe: r.nfe };
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
  plan: RunPlan,
  hooks: RunHooks,
): Promise<Timing> {
  const options = withDenoiser(engine.model, plan);
  const { denoise, sigmas } = options;
  const { xT } = plan;
  let inCalls = 0;
  const timed: typeof denoise = async (x, sigma) => {
    const t = performance.now();
    const out = await denoise(x, sigma);
    inCalls += performance.now() - t;
    return out;
  };
  await denoise(xT, sigmas[0]);
  await sample(options);
  await runModel(engine, plan, hooks);
  const calls: number[] = [];
  const runs: number[] = [];
  const own: number[] = [];
  const appRuns: number[] = [];
  let nfe = 0;
  const phases = [
    async () => {
      const t = performance.now();
      for (let i = 0; i < plan.nfe; i++) {
        await denoise(xT, sigmas[Math.min(i, sigmas.length - 2)]);
      }
      calls.push((performance.now() - t) / plan.nfe);
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
      await runModel(engine, plan, hooks);
      appRuns.push(performance.now() - t);
    },
  ];
  // Each round takes the three in a rotated order, so what one leaves behind (the main thread
  // drawing the app run's progress, garbage to collect) slows each of them alike.
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    for (let k = 0; k < phases.length; k++) await phases[(round + k) % phases.length]();
    await hooks.interrupt();
  }
  return {
    nfe,
    callMs: median(calls),
    runMs: median(runs),
    ownMs: median(own),
    appRunMs: median(appRuns),
  };
}
