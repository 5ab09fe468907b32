import { CodeSampler } from './alias';
import type { SparseWeights } from './codebook';
import { indexToBits } from './fsq';
import { checkAfs, stepsForNfe } from './nfe';
import { initialNoise, sampleRngs, sampleSeeds, Stream } from './rng';
import { karrasSigmas, validateSigmas, type GridEnd } from './schedule';
import { SOLVER_NAMES, SOLVERS, solverFacts, type SolverName } from './solvers';
import { SolverRun, type Churn, type VecDenoise } from './solvers/solverRun';
import type { Denoise, SampleOptions, SampleResult, StepInfo } from './types';
import { cpuOps, type VecOps } from './vec';

/*
 * A run, start to end: planRun turns settings and a model into a plan, checkRun is the one check
 * of a run's settings (a plan is checked when it is made), and samplePlan / samplePlanWith walk
 * the plan's solver over its grid without checking it again. sample.ts holds sample() and
 * sampleWith(), the entries of callers that bring their own grid and x (checked by checkRun too).
 */

/** What a run needs to know about a model: its noise range, image size and codebook. */
export interface PlanModel {
  name: string;
  sigmaMin: number;
  sigmaMax: number;
  sigmaData: number;
  /** Values per image, C*H*W. */
  imageSize: number;
  /** The QAC codebook (binary codes of `bits` bits, sampling weights), or null for a baseline. */
  code: { bits: number; weights: SparseWeights } | null;
}

/** The settings that fix a run's pixels, as the URL, the CLIs and the report name them. */
export interface RunSettings {
  solver: SolverName;
  /** Denoiser calls to spend, exactly (see snapNfe for mapping a wanted NFE). */
  nfe: number;
  afs: boolean;
  gridEnd: GridEnd;
  /** S_churn, used only by solvers that take churn. */
  churn?: number;
  batch: number;
  /** Sample k uses seed + k for its noise and its code draw. */
  seed: number;
  /** Per-sample seeds instead of seed + k (the code gallery: one seed, many codes). */
  seeds?: number[];
  /**
   * The code of each sample: null draws each from the sampling weights on its seed's code
   * stream; one index fixes it for all; an array gives each its own (a baseline ignores codes).
   */
  code: number | readonly number[] | null;
  /** Karras exponent; default 7. */
  rho?: number;
}

declare const checked: unique symbol;

/**
 * A run's settings after checkRun: every default filled in, every value valid. Only checkRun
 * makes one, so a sampler handed one (a RunPlan is one) runs it without checking it again.
 */
export interface CheckedRun {
  readonly [checked]: true;
  readonly solver: SolverName;
  readonly sigmas: number[];
  readonly batch: number;
  readonly seeds: number[];
  readonly afs: boolean;
  readonly sigmaData: number;
  readonly churn: Churn;
}

/** The options checkRun reads: sample()'s, less the denoiser, x and the hooks. */
type RunOptions = Omit<SampleOptions, 'denoise' | 'x' | 'onStep' | 'interrupt'>;

function nonNegative(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
    throw new RangeError(`${what} must be a number >= 0, got ${v}`);
  }
  return v;
}

function resolveChurn(opts: RunOptions): Churn {
  if (!solverFacts(opts.solver).churn && (opts.churn ?? 0) !== 0) {
    const takers = SOLVER_NAMES.filter((n) => SOLVERS[n].churn).map((n) => `'${n}'`);
    throw new RangeError(`churn applies only to ${takers.join(', ')}, not '${opts.solver}'`);
  }
  const churn: Churn = {
    churn: nonNegative(opts.churn, 0, 'churn'),
    sTmin: nonNegative(opts.sTmin, 0, 'sTmin'),
    sTmax: nonNegative(opts.sTmax, Infinity, 'sTmax'),
    sNoise: nonNegative(opts.sNoise, 1, 'sNoise'),
  };
  if (!Number.isFinite(churn.churn)) throw new RangeError('churn must be finite');
  return churn;
}

/**
 * The one place a run's settings are checked (planRun for the apps and CLIs, sample() and
 * sampleWith() for direct callers): the solver, the grid, the batch against `length` values of x
 * and the seeds, AFS, sigma_data and churn.
 */
export function checkRun(opts: RunOptions, length: number): CheckedRun {
  const { solver } = opts;
  const afs = opts.afs ?? false;
  checkAfs(solver, afs);
  validateSigmas(opts.sigmas);
  const batch = opts.batch ?? 1;
  const seeds = sampleSeeds(batch, opts.seed ?? 0, opts.seeds);
  if (length % batch !== 0) {
    throw new RangeError(`x has ${length} values, not a multiple of batch ${batch}`);
  }
  const sigmaData = opts.sigmaData ?? 0.5;
  if (!(Number.isFinite(sigmaData) && sigmaData > 0)) {
    throw new RangeError(`sigmaData must be a positive finite number, got ${sigmaData}`);
  }
  const churn = resolveChurn(opts);
  return { solver, sigmas: opts.sigmas, batch, seeds, afs, sigmaData, churn } as CheckedRun;
}

/**
 * Everything a run is: the same settings give the same plan in Node and in the browser. It is a
 * CheckedRun: samplePlan runs it without checking its settings again.
 */
export interface RunPlan extends CheckedRun {
  nfe: number;
  steps: number;
  /** Code index of each sample; empty when the model has no codebook. */
  codes: number[];
  /** The denoiser's `code` input [batch, bits] of +-1, or undefined for a baseline. */
  codeSigns: Float32Array | undefined;
  /** x_T, [batch, C, H, W]. */
  xT: Float32Array;
}

function planCodes(model: PlanModel, s: RunSettings, seeds: number[]): number[] {
  if (!model.code) return [];
  const { bits, weights } = model.code;
  const codes =
    s.code === null
      ? new CodeSampler(weights).drawBatch(seeds)
      : typeof s.code === 'number'
        ? seeds.map(() => s.code as number)
        : [...s.code];
  if (codes.length !== seeds.length) {
    throw new RangeError(`${codes.length} codes for a batch of ${seeds.length} samples`);
  }
  for (const c of codes) {
    if (!(Number.isInteger(c) && c >= 0 && c < 2 ** bits)) {
      throw new RangeError(
        `${model.name}: code ${c} is outside this model's codebook 0..${2 ** bits - 1}`,
      );
    }
  }
  return codes;
}

/**
 * Turns settings into a run: the Karras grid between the model's sigma_min and sigma_max with the
 * step count that spends exactly `nfe` calls, per-sample seeds, codes and x_T = sigma_0 n.
 */
export function planRun(model: PlanModel, s: RunSettings): RunPlan {
  const steps = stepsForNfe(s.solver, s.nfe, s.afs);
  const sigmas = karrasSigmas(steps, {
    sigmaMin: model.sigmaMin,
    sigmaMax: model.sigmaMax,
    rho: s.rho,
    end: s.gridEnd,
  });
  const seeds = sampleSeeds(s.batch, s.seed, s.seeds);
  const codes = planCodes(model, s, seeds);
  const codeSigns = model.code ? new Float32Array(s.batch * model.code.bits) : undefined;
  codes.forEach((index, k) =>
    codeSigns!.set(indexToBits(index, model.code!.bits), k * model.code!.bits),
  );
  const xT = initialNoise(seeds, model.imageSize, sigmas[0]);
  const run = checkRun(
    {
      solver: s.solver,
      sigmas,
      afs: s.afs,
      sigmaData: model.sigmaData,
      batch: s.batch,
      seeds,
      ...(solverFacts(s.solver).churn ? { churn: s.churn } : {}),
    },
    xT.length,
  );
  return { ...run, nfe: s.nfe, steps, codes, codeSigns, xT };
}

/** What runs a checked run: the vectors' algebra, the denoiser, the starting x and the hooks. */
export interface RunIo<V> {
  ops: VecOps<V>;
  denoise: VecDenoise<V>;
  x: V;
  onStep?: (s: StepInfo<V>) => void;
  interrupt?: () => void | Promise<void>;
}

export interface VecSampleResult<V> {
  /** The final state, owned by the caller. */
  x: V;
  nfe: number;
}

/** Runs the solver from a kept copy of x; `run` was checked by checkRun, so nothing is here. */
export async function solve<V>(run: CheckedRun, io: RunIo<V>): Promise<VecSampleResult<V>> {
  const { ops } = io;
  const solverRun = new SolverRun({
    ops,
    denoise: io.denoise,
    sigmas: run.sigmas,
    x: await ops.keep(io.x),
    batch: run.batch,
    afsSigmaData: run.afs ? run.sigmaData : null,
    rngs: sampleRngs(run.seeds, Stream.sde),
    churn: run.churn,
    onStep: io.onStep,
    interrupt: io.interrupt,
  });
  const out = await solverFacts(run.solver).run(solverRun);
  return { x: out, nfe: solverRun.nfe };
}

/** A user's Float32Array denoiser as the run calls it: on a private copy of x, output checked. */
function checkedDenoise(
  denoise: SampleOptions['denoise'],
  length: number,
): VecDenoise<Float32Array> {
  const input = new Float32Array(length);
  return async (x, sigma, step) => {
    input.set(x);
    const out = await denoise(input, sigma);
    if (!(out instanceof Float32Array)) {
      throw new TypeError(`denoiser must return a Float32Array (step ${step}, sigma ${sigma})`);
    }
    if (out.length !== length) {
      throw new RangeError(
        `denoiser returned ${out.length} values at step ${step}, expected ${length} (the whole batch)`,
      );
    }
    for (let j = 0; j < out.length; j++) {
      // v - v is 0 for finite v and NaN for NaN and +-Infinity.
      if (out[j] - out[j] !== 0) {
        throw new RangeError(
          `denoiser returned ${out[j]} at step ${step} (sigma ${sigma}, value index ${j})`,
        );
      }
    }
    return out;
  };
}

/** The hooks of a run: step reports and the interrupt (see SampleOptions). */
export type RunHooks = Pick<SampleOptions, 'onStep' | 'interrupt'>;

/** A checked run on Float32Arrays: the CPU's vector algebra, the denoiser's outputs checked. */
export function solveOnCpu(
  run: CheckedRun,
  io: RunHooks & { denoise: Denoise; x: Float32Array },
): Promise<SampleResult> {
  const { length } = io.x;
  return solve(run, { ...io, ops: cpuOps(length), denoise: checkedDenoise(io.denoise, length) });
}

/**
 * Runs a plan from planRun on Float32Arrays, from the plan's x_T. planRun checked its settings
 * (it is a CheckedRun), so they are not checked again; the denoiser's outputs still are.
 */
export function samplePlan(
  plan: RunPlan,
  io: RunHooks & { denoise: Denoise },
): Promise<SampleResult> {
  return solveOnCpu(plan, { ...io, x: plan.xT });
}

/** samplePlan on any VecOps (the web runtime's GPU chain): x is the plan's x_T where ops computes. */
export function samplePlanWith<V>(plan: RunPlan, io: RunIo<V>): Promise<VecSampleResult<V>> {
  return solve(plan, io);
}
