import { checkAfs } from './nfe';
import { sampleSeeds } from './rng';
import { validateSigmas } from './schedule';
import { SOLVER_NAMES, SOLVERS, solverFacts } from './solvers';
import type { Churn } from './solvers/solverRun';
import type { SampleOptions, SolverName } from './types';

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
export type RunOptions = Omit<SampleOptions, 'denoise' | 'x' | 'onStep' | 'interrupt'>;

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
