import type { Tensor } from 'onnxruntime-common';
import {
  packIndex,
  planRun,
  samplePlan,
  samplePlanWith,
  signedToLevels,
  type GridEnd,
  type PlanModel,
  type RunPlan,
  type RunSettings,
  type SolverName,
  type StepInfo,
} from '../core';
import type { LoadedModel } from './types';
import type { StepChain } from './web/chain';

/** The run plan's view of a loaded model: its manifest's noise range and its codebook. */
function planModelOf(model: LoadedModel): PlanModel {
  const { manifest } = model;
  if (model.codeBits > 0 && manifest.code!.levels !== 2) {
    throw new Error(
      `${manifest.name}: sampling supports binary codes (L = 2), not L = ${manifest.code!.levels}`,
    );
  }
  return {
    name: manifest.name,
    sigmaMin: manifest.sigmaMin,
    sigmaMax: manifest.sigmaMax,
    sigmaData: manifest.sigmaData,
    imageSize: model.imageSize,
    code: model.codeBits > 0 ? { bits: model.codeBits, weights: model.weights! } : null,
  };
}

/**
 * The plan of `settings` on this model, through core's planRun (which checks the settings), with
 * `codeSigns` (each sample's code bits, +-1, [batch, d]) in place of its codes when given. A fixed
 * code, an index or bits, on a baseline is refused.
 */
export function planFor(
  model: LoadedModel,
  settings: RunSettings,
  codeSigns?: Float32Array,
): RunPlan {
  const bits = model.codeBits;
  if (bits === 0 && (typeof settings.code === 'number' || codeSigns)) {
    throw new Error(`${model.manifest.name} is a baseline model: it takes no code`);
  }
  const plan = planRun(planModelOf(model), settings);
  if (!codeSigns) return plan;
  if (codeSigns.length !== plan.batch * bits) {
    throw new Error(
      `codeSigns: ${codeSigns.length} values for ${plan.batch} samples of ${bits} bits`,
    );
  }
  const codes = Array.from({ length: plan.batch }, (_, k) =>
    packIndex(signedToLevels(codeSigns.subarray(k * bits, (k + 1) * bits)), 2),
  );
  return { ...plan, codeSigns, codes };
}

/** The models one plan runs on: the plan is made on `qac` (its codebook draws the codes). */
export interface ModelPair<M extends LoadedModel = LoadedModel> {
  /** The QAC model, or a model sampled alone (a baseline alone takes this slot). */
  qac: M;
  /** The baseline beside it, run on the same plan (same grid, x_T and codes); null for none. */
  baseline: M | null;
}

export interface PairOptions<M extends LoadedModel = LoadedModel> {
  /** Each sample's code bits (+-1, [batch, d]) in place of the plan's codes (QAC only). */
  codeSigns?: Float32Array;
  /**
   * The model's GPU chain (runtime/web StepChain) when its steps should stay on the GPU; null or
   * absent: core's sampler on outputs read back from each denoiser call.
   */
  chain?: (model: M) => StepChain | null;
  /** Keep sample 0's step reports; on a chain they stay on the GPU until the run ends. */
  trace?: boolean;
  /** Every step's report for the whole batch as it comes (unchained runs only). */
  onStep?: (s: StepInfo) => void;
  /** Step `step` of `steps` of the pair's first ('qac') or second model is under way. */
  progress?: (model: keyof ModelPair, step: number, steps: number) => void;
  /** Awaited before every denoiser call; a throw stops the run (cancels, newer requests). */
  interrupt?: () => void | Promise<void>;
}

/** One model's run of the plan. */
export interface ModelRun {
  /** The final samples, [B, C, H, W]. */
  x: Float32Array;
  /** Denoiser calls actually made. */
  nfe: number;
  ms: number;
  /** Whether the steps were chained on the GPU. */
  chained: boolean;
  /** Sample 0's step reports when traced, else null. */
  steps: StepInfo[] | null;
}

export interface PairRun {
  /** The plan both models ran: its codes are those of codeSigns when given. */
  plan: RunPlan;
  qac: ModelRun;
  baseline: ModelRun | null;
}

/** Sample 0's part of a step report. */
function first(s: StepInfo, size: number): StepInfo {
  return {
    ...s,
    x: s.x.slice(0, size),
    denoised: s.denoised.slice(0, size),
    d: s.d.slice(0, size),
  };
}

/**
 * One model's run of a plan through core: on its GPU chain's device (the chain binds the plan:
 * x_T, the denoiser and the vector algebra live there, and only the result and the traced steps
 * are read back) when given one, else on Float32Arrays with each output read back.
 */
async function runPlan(
  model: LoadedModel,
  plan: RunPlan,
  chain: StepChain | null,
  opts: PairOptions<never>,
  progress: (step: number) => void,
): Promise<ModelRun> {
  const size = model.imageSize;
  const t0 = performance.now();
  if (chain) {
    if (opts.onStep) throw new Error('a chained run reports its steps through trace');
    const io = chain.bind(plan);
    const { ops } = io;
    try {
      const kept: StepInfo<Tensor>[] = [];
      const run = await samplePlanWith(plan, {
        ...io,
        interrupt: opts.interrupt,
        onStep: (s) => {
          if (opts.trace) kept.push(s);
          else [s.x, s.denoised, s.d].forEach((v) => ops.free(v));
          progress(s.i + 1);
        },
      });
      const x = await io.result(run.x);
      // All reads at once: each waits for a GPU-to-CPU copy, and they need not wait in turn.
      const steps = opts.trace
        ? await Promise.all(
            kept.map(async (s) => {
              const [sx, denoised, d] = await Promise.all(
                [s.x, s.denoised, s.d].map((v) => ops.read(v)),
              );
              return first({ ...s, x: sx, denoised, d }, size);
            }),
          )
        : null;
      return { x, nfe: run.nfe, ms: performance.now() - t0, chained: true, steps };
    } finally {
      ops.close();
    }
  }
  const traced: StepInfo[] = [];
  const { x, nfe } = await samplePlan(plan, {
    denoise: model.bind(plan.batch, plan.codeSigns),
    interrupt: opts.interrupt,
    onStep: (s) => {
      opts.onStep?.(s);
      if (opts.trace) traced.push(first(s, size));
      progress(s.i + 1);
    },
  });
  const steps = opts.trace ? traced : null;
  return { x, nfe, ms: performance.now() - t0, chained: false, steps };
}

/**
 * The one sampling entry of the apps and the CLIs: plans `settings` on the pair's first model
 * (core's planRun checks them there, once), then runs that plan through core on each model in
 * turn, on its GPU chain's device or on the CPU.
 */
export async function samplePair<M extends LoadedModel>(
  pair: ModelPair<M>,
  settings: RunSettings,
  opts: PairOptions<M> = {},
): Promise<PairRun> {
  const { qac, baseline } = pair;
  const plan = planFor(qac, settings, opts.codeSigns);
  const run = (model: M, which: keyof ModelPair) =>
    runPlan(model, plan, opts.chain?.(model) ?? null, opts, (step) =>
      opts.progress?.(which, step, plan.steps),
    );
  const q = await run(qac, 'qac');
  const b = baseline && (await run(baseline, 'baseline'));
  return { plan, qac: q, baseline: b };
}

export interface SampleModelOptions {
  solver: SolverName;
  /** Denoiser calls to spend (AFS counted honestly: it saves one). */
  nfe: number;
  afs?: boolean;
  /** Sample k uses seed + k for its noise and its code draw. Default 0. */
  seed?: number;
  batch: number;
  /** One code index for every sample instead of draws from the sampling weights (QAC only). */
  code?: number;
  /** Each sample's own code bits (+-1, [batch, d]) in place of the draws (QAC only). */
  codeSigns?: Float32Array;
  /** Grid convention (see src/core/README.md). Default 'zero'. */
  end?: GridEnd;
  rho?: number;
  /** Every step's state, denoised estimate and slope (curvature), for the whole batch. */
  onStep?: (s: StepInfo) => void;
}

export interface SampleModelResult {
  /** x_T for the batch, [B, C, H, W]. */
  xT: Float32Array;
  /** The final samples, [B, C, H, W]. */
  x: Float32Array;
  sigmas: number[];
  /** Denoiser calls actually made. */
  nfe: number;
  /** The code index of each sample; empty for a baseline. */
  codes: number[];
}

/** samplePair for one model with the CLIs' option names and defaults. */
export async function sampleModel(
  model: LoadedModel,
  opts: SampleModelOptions,
): Promise<SampleModelResult> {
  const settings: RunSettings = {
    solver: opts.solver,
    nfe: opts.nfe,
    afs: opts.afs ?? false,
    gridEnd: opts.end ?? 'zero',
    batch: opts.batch,
    seed: opts.seed ?? 0,
    code: opts.code ?? null,
    rho: opts.rho,
  };
  const r = await samplePair({ qac: model, baseline: null }, settings, {
    codeSigns: opts.codeSigns,
    onStep: opts.onStep,
  });
  const { plan } = r;
  return { xT: plan.xT, x: r.qac.x, sigmas: plan.sigmas, nfe: r.qac.nfe, codes: plan.codes };
}
