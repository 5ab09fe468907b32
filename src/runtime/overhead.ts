import { samplePlan, type RunPlan } from '../core';
import type { LoadedModel } from './types';

/** The sampler's overhead on one model and batch: medians over interleaved rounds. */
export interface Overhead {
  nfe: number;
  /** One denoiser call on the batch: the mean over NFE back-to-back calls (median of rounds). */
  callMs: number;
  /** One run of the sampler at that NFE, without recording intermediates (median of rounds). */
  runMs: number;
  /** The part of runMs outside the denoiser calls: the sampler's own work (median of rounds). */
  ownMs: number;
  /** The caller's own run (the app's: intermediates and curvature included). */
  appRunMs: number;
}

const TIMING_ROUNDS = 9;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The sampler's overhead on this backend, on the same batch and code binding throughout, after a
 * warm-up of each: the plan's NFE as bare denoiser calls, as a run of the sampler alone, and as
 * `appRun` (the run a Sample request makes: recording sample 0's intermediates and curvature,
 * posting progress). The three are interleaved over several rounds and each reported as its
 * median, so other load on the machine lands on all of them alike. The sampler run also times its
 * calls, so its own work (the solver's arithmetic, copies and checks) is known apart from load
 * noise. `between` is awaited after each round (a worker yields to its cancels there).
 */
export async function measureOverhead(
  model: LoadedModel,
  plan: RunPlan,
  appRun: () => Promise<unknown>,
  between: () => Promise<void>,
): Promise<Overhead> {
  const denoise = model.bind(plan.batch, plan.codeSigns);
  const { sigmas, xT } = plan;
  let inCalls = 0;
  const timed: typeof denoise = async (x, sigma) => {
    const t = performance.now();
    const out = await denoise(x, sigma);
    inCalls += performance.now() - t;
    return out;
  };
  await denoise(xT, sigmas[0]);
  await samplePlan(plan, { denoise });
  await appRun();
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
      ({ nfe } = await samplePlan(plan, { denoise: timed }));
      const ms = performance.now() - t;
      runs.push(ms);
      own.push(ms - inCalls);
    },
    async () => {
      const t = performance.now();
      await appRun();
      appRuns.push(performance.now() - t);
    },
  ];
  // Each round takes the three in a rotated order, so what one leaves behind (the main thread
  // drawing the app run's progress, garbage to collect) slows each of them alike.
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    for (let k = 0; k < phases.length; k++) await phases[(round + k) % phases.length]();
    await between();
  }
  return {
    nfe,
    callMs: median(calls),
    runMs: median(runs),
    ownMs: median(own),
    appRunMs: median(appRuns),
  };
}
