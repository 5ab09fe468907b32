import { Stream, sampleRngs, sampleSeeds } from './rng';
import { validateSigmas } from './schedule';
import { SOLVER_NAMES, SOLVERS, solverFacts } from './solvers';
import { SolverRun, type Churn, type VecDenoise } from './solvers/solverRun';
import type { SampleOptions, SampleResult, SolverName, StepInfo } from './types';
import { cpuOps, type VecOps } from './vec';

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

export interface VecSampleResult<V> {
  /** The final state, owned by the caller. */
  x: V;
  nfe: number;
}

type Common = Omit<VecSampleOptions<unknown>, 'ops' | 'x' | 'denoise' | 'onStep'>;

function nonNegative(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
    throw new RangeError(`${what} must be a number >= 0, got ${v}`);
  }
  return v;
}

function resolveChurn(opts: Common): Churn {
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

function checkSolver(solver: SolverName, denoise: unknown, sigmas: number[]): void {
  solverFacts(solver);
  if (typeof denoise !== 'function') throw new TypeError('denoise must be a function');
  validateSigmas(sigmas);
}

function checkBatch(batch: number, length: number): void {
  if (!Number.isInteger(batch) || batch < 1) {
    throw new RangeError(`batch must be a positive integer, got ${batch}`);
  }
  if (length % batch !== 0) {
    throw new RangeError(`x has ${length} values, not a multiple of batch ${batch}`);
  }
}

/** Validates the options shared by every VecOps and runs the solver from the kept x. */
async function solve<V>(
  opts: Common,
  ops: VecOps<V>,
  denoise: VecDenoise<V>,
  x: V,
  onStep: ((s: StepInfo<V>) => void) | undefined,
): Promise<VecSampleResult<V>> {
  const { solver } = opts;
  const batch = opts.batch ?? 1;
  const afs = opts.afs ?? false;
  const facts = solverFacts(solver);
  if (afs && !facts.afs) {
    throw new RangeError(`afs applies only to deterministic solvers, not '${solver}'`);
  }
  const sigmaData = opts.sigmaData ?? 0.5;
  if (!(Number.isFinite(sigmaData) && sigmaData > 0)) {
    throw new RangeError(`sigmaData must be a positive finite number, got ${sigmaData}`);
  }
  const seeds = sampleSeeds(batch, opts.seed ?? 0, opts.seeds);
  const churn = resolveChurn(opts);
  const run = new SolverRun({
    ops,
    denoise,
    sigmas: opts.sigmas,
    x: await ops.keep(x),
    batch,
    afsSigmaData: afs ? sigmaData : null,
    rngs: sampleRngs(seeds, Stream.sde),
    churn,
    onStep,
    interrupt: opts.interrupt,
  });
  const out = await facts.run(run);
  return { x: out, nfe: run.nfe };
}

/**
 * sample() with x and the denoiser living wherever `ops` computes (the web runtime chains the
 * steps on the GPU this way). Same solvers, same per-sample noise streams, so the same seed gives
 * the same result up to float rounding.
 */
export async function sampleWith<V>(opts: VecSampleOptions<V>): Promise<VecSampleResult<V>> {
  checkSolver(opts.solver, opts.denoise, opts.sigmas);
  checkBatch(opts.batch ?? 1, opts.ops.length);
  return solve(opts, opts.ops, (x, sigma) => opts.denoise(x, sigma), opts.x, opts.onStep);
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

/**
 * Runs one solver over a whole batch. The denoiser always sees the whole batch; stochastic noise
 * for sample k comes from its own seed, so sample k equals a batch-1 run with that seed.
 */
export async function sample(opts: SampleOptions): Promise<SampleResult> {
  const { x } = opts;
  checkSolver(opts.solver, opts.denoise, opts.sigmas);
  if (!(x instanceof Float32Array) || x.length === 0) {
    throw new TypeError('x must be a non-empty Float32Array holding the whole batch');
  }
  checkBatch(opts.batch ?? 1, x.length);
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`x[${j}] is ${x[j]}`);
  }
  const ops = cpuOps(x.length);
  return solve(opts, ops, checkedDenoise(opts.denoise, x.length), x, opts.onStep);
}
