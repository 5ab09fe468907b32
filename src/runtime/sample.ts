import {
  CodeSampler,
  indexToBits,
  initialNoise,
  karrasSigmas,
  sample,
  sampleSeeds,
  stepsForNfe,
  type GridEnd,
  type SolverName,
  type StepInfo,
} from '../core';
import type { LoadedModel } from './types';

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
  /** Grid convention (SPEC section 5). Default 'zero'. */
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

/**
 * Samples a batch from a loaded model: x_T and codes from per-sample seeded streams, the Karras
 * grid between the manifest's sigmaMin and sigmaMax, then core's solver.
 */
export async function sampleModel(
  model: LoadedModel,
  opts: SampleModelOptions,
): Promise<SampleModelResult> {
  const { manifest } = model;
  const seeds = sampleSeeds(opts.batch, opts.seed ?? 0);
  const steps = stepsForNfe(opts.solver, opts.nfe, opts.afs ?? false);
  const sigmas = karrasSigmas(steps, {
    sigmaMin: manifest.sigmaMin,
    sigmaMax: manifest.sigmaMax,
    rho: opts.rho,
    end: opts.end,
  });
  let codes: number[] = [];
  let codeBits: Float32Array | undefined;
  if (model.codeBits > 0) {
    const { bits, levels } = manifest.code!;
    if (levels !== 2)
      throw new Error(
        `${manifest.name}: sampling supports binary codes (L = 2), not L = ${levels}`,
      );
    if (opts.code !== undefined) {
      if (!(Number.isInteger(opts.code) && opts.code >= 0 && opts.code < 2 ** bits)) {
        throw new Error(`code ${opts.code} is outside this model's codebook 0..${2 ** bits - 1}`);
      }
      codes = seeds.map(() => opts.code!);
    } else {
      codes = new CodeSampler(model.weights!).drawBatch(seeds);
    }
    codeBits = new Float32Array(opts.batch * bits);
    codes.forEach((index, k) => codeBits!.set(indexToBits(index, bits), k * bits));
  } else if (opts.code !== undefined) {
    throw new Error(`${manifest.name} is a baseline model: it takes no code`);
  }
  const xT = initialNoise(seeds, model.imageSize, sigmas[0]!);
  const result = await sample({
    solver: opts.solver,
    denoise: model.bind(opts.batch, codeBits),
    sigmas,
    x: xT,
    afs: opts.afs,
    sigmaData: manifest.sigmaData,
    batch: opts.batch,
    seeds,
    onStep: opts.onStep,
  });
  return { xT, x: result.x, sigmas, nfe: result.nfe, codes };
}
