import { checkRun, solve, solveOnCpu, type VecSampleResult } from './run';
import type { SampleOptions, SampleResult, StepInfo } from './types';
import type { VecOps } from './vec';

/*
 * The entries of callers that bring their own grid and starting x (tests, benches, editing):
 * their options are checked by run.ts's checkRun, then run.ts solves them. The apps and the CLIs
 * plan a run instead (run.ts planRun, samplePlan).
 */

/** sample() on any VecOps: x, the denoiser's vectors and the step reports are V. */
export interface VecSampleOptions<V> extends Omit<SampleOptions, 'denoise' | 'x' | 'onStep'> {
  ops: VecOps<V>;
  /** D(x; sigma) over the whole batch; its result belongs to the solver, which frees it. */
  denoise: (x: V, sigma: number) => V | Promise<V>;
  /** The starting state at sigmas[0]; the caller keeps it (the run works on a kept copy). */
  x: V;
  /** Called after each step's first denoiser evaluation; it owns the vectors it gets. */
  onStep?: (s: StepInfo<V>) => void;
}

function checkDenoise(denoise: unknown): void {
  if (typeof denoise !== 'function') throw new TypeError('denoise must be a function');
}

/**
 * sample() with x and the denoiser living wherever `ops` computes. Same solvers, same per-sample
 * noise streams, so the same seed gives the same result up to float rounding.
 */
export async function sampleWith<V>(opts: VecSampleOptions<V>): Promise<VecSampleResult<V>> {
  checkDenoise(opts.denoise);
  const run = checkRun(opts, opts.ops.length);
  return solve(run, { ...opts, denoise: (x, sigma) => opts.denoise(x, sigma) });
}

/**
 * Runs one solver over a whole batch. The denoiser always sees the whole batch; stochastic noise
 * for sample k comes from its own seed, so sample k equals a batch-1 run with that seed.
 */
export async function sample(opts: SampleOptions): Promise<SampleResult> {
  const { x } = opts;
  checkDenoise(opts.denoise);
  if (!(x instanceof Float32Array) || x.length === 0) {
    throw new TypeError('x must be a non-empty Float32Array holding the whole batch');
  }
  const run = checkRun(opts, x.length);
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`x[${j}] is ${x[j]}`);
  }
  return solveOnCpu(run, { ...opts, x });
}
