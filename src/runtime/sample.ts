import {
  packIndex,
  planRun,
  signedToLevels,
  sample,
  type GridEnd,
  type PlanModel,
  type RunPlan,
  type RunSettings,
  type SolverName,
  type StepInfo,
} from '../core';
import type { LoadedModel } from './types';

/** The run plan's view of a loaded model: its manifest's noise range and its codebook. */
export function planModelOf(model: LoadedModel): PlanModel {
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

/** The plan of `settings` on this model; a fixed code on a baseline is refused. */
export function planFor(model: LoadedModel, settings: RunSettings): RunPlan {
  if (model.codeBits === 0 && typeof settings.code === 'number') {
    throw new Error(`${model.manifest.name} is a baseline model: it takes no code`);
  }
  return planRun(planModelOf(model), settings);
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
  /** Passed to core's sample: every step's state, denoised estimate and slope (curvature). */
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

/** Samples a batch from a loaded model along the run plan of the options (the CLIs' entry). */
export async function sampleModel(
  model: LoadedModel,
  opts: SampleModelOptions,
): Promise<SampleModelResult> {
  const plan = planFor(model, {
    solver: opts.solver,
    nfe: opts.nfe,
    afs: opts.afs ?? false,
    gridEnd: opts.end ?? 'zero',
    batch: opts.batch,
    seed: opts.seed ?? 0,
    code: opts.code ?? null,
    rho: opts.rho,
  });
  const signs = opts.codeSigns ?? plan.codeSigns;
  if (opts.codeSigns) {
    if (model.codeBits === 0)
      throw new Error(`${model.manifest.name} is a baseline model: it takes no code`);
    if (opts.codeSigns.length !== plan.batch * model.codeBits)
      throw new Error(
        `codeSigns: ${opts.codeSigns.length} values for ${plan.batch} samples of ${model.codeBits} bits`,
      );
  }
  const result = await sample({
    ...plan.options,
    denoise: model.bind(plan.batch, signs),
    onStep: opts.onStep,
  });
  const codes = opts.codeSigns
    ? Array.from({ length: plan.batch }, (_, k) =>
        packIndex(signedToLevels(signs!.subarray(k * model.codeBits, (k + 1) * model.codeBits)), 2),
      )
    : plan.codes;
  return { xT: plan.xT, x: result.x, sigmas: plan.sigmas, nfe: result.nfe, codes };
}
