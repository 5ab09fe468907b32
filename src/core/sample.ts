import { checkRun, type CheckedRun, type RunPlan } from './plan';
import { Stream, sampleRngs } from './rng';
import { solverFacts } from './solvers';
import { SolverRun, type VecDenoise } from './solvers/solverRun';
import type { Denoise, SampleOptions, SampleResult, StepInfo } from './types';
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

function checkDenoise(denoise: unknown): void {
  if (typeof denoise !== 'function') throw new TypeError('denoise must be a function');
}

/** What runs a checked run: the vectors' algebra, the denoiser, the starting x and the hooks. */
export interface RunIo<V> {
  ops: VecOps<V>;
  denoise: VecDenoise<V>;
  x: V;
  onStep?: (s: StepInfo<V>) => void;
  interrupt?: () => void | Promise<void>;
}

/** Runs the solver from a kept copy of x; `run` was checked by checkRun, so nothing is here. */
async function solve<V>(run: CheckedRun, io: RunIo<V>): Promise<VecSampleResult<V>> {
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

/**
 * sample() with x and the denoiser living wherever `ops` computes (the web runtime chains the
 * steps on the GPU this way). Same solvers, same per-sample noise streams, so the same seed gives
 * the same result up to float rounding.
 */
export async function sampleWith<V>(opts: VecSampleOptions<V>): Promise<VecSampleResult<V>> {
  checkDenoise(opts.denoise);
  const run = checkRun(opts, opts.ops.length);
  return solve(run, { ...opts, denoise: (x, sigma) => opts.denoise(x, sigma) });
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
  checkDenoise(opts.denoise);
  if (!(x instanceof Float32Array) || x.length === 0) {
    throw new TypeError('x must be a non-empty Float32Array holding the whole batch');
  }
  const run = checkRun(opts, x.length);
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`x[${j}] is ${x[j]}`);
  }
  return sampleChecked(run, { ...opts, x });
}

/** The hooks of a run: step reports and the interrupt (see SampleOptions). */
export type RunHooks = Pick<SampleOptions, 'onStep' | 'interrupt'>;

/** A checked run on Float32Arrays: the CPU's vector algebra, the denoiser's outputs checked. */
function sampleChecked(
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
  return sampleChecked(plan, { ...io, x: plan.xT });
}

/** samplePlan on any VecOps (the web runtime's GPU chain): x is the plan's x_T where ops computes. */
export function samplePlanWith<V>(plan: RunPlan, io: RunIo<V>): Promise<VecSampleResult<V>> {
  return solve(plan, io);
}
