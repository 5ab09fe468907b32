import { Stream, sampleRngs, sampleSeeds } from './rng';
import { validateSigmas } from './schedule';
import { DETERMINISTIC, SOLVERS, SOLVER_NAMES, isSolverName } from './solvers';
import { SolverRun, type Churn } from './solverRun';
import type { SampleOptions, SampleResult } from './types';

function nonNegative(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
    throw new RangeError(`${what} must be a number >= 0, got ${v}`);
  }
  return v;
}

function resolveChurn(opts: SampleOptions): Churn {
  if (opts.solver !== 'edm-sde' && (opts.churn ?? 0) !== 0) {
    throw new RangeError(`churn applies only to 'edm-sde', not '${opts.solver}'`);
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
 * Runs one solver over a whole batch. The denoiser always sees the whole batch; stochastic noise
 * for sample k comes from its own seed, so sample k equals a batch-1 run with that seed.
 */
export async function sample(opts: SampleOptions): Promise<SampleResult> {
  const { solver, x } = opts;
  if (!isSolverName(solver)) {
    throw new RangeError(`unknown solver '${String(solver)}'; one of ${SOLVER_NAMES.join(', ')}`);
  }
  if (typeof opts.denoise !== 'function') throw new TypeError('denoise must be a function');
  validateSigmas(opts.sigmas);
  if (!(x instanceof Float32Array) || x.length === 0) {
    throw new TypeError('x must be a non-empty Float32Array holding the whole batch');
  }
  const batch = opts.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) {
    throw new RangeError(`batch must be a positive integer, got ${batch}`);
  }
  if (x.length % batch !== 0) {
    throw new RangeError(`x has ${x.length} values, not a multiple of batch ${batch}`);
  }
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`x[${j}] is ${x[j]}`);
  }
  const afs = opts.afs ?? false;
  if (afs && !DETERMINISTIC.includes(solver)) {
    throw new RangeError(`afs applies only to deterministic solvers, not '${solver}'`);
  }
  const sigmaData = opts.sigmaData ?? 0.5;
  if (!(Number.isFinite(sigmaData) && sigmaData > 0)) {
    throw new RangeError(`sigmaData must be a positive finite number, got ${sigmaData}`);
  }
  const seeds = sampleSeeds(batch, opts.seed ?? 0, opts.seeds);
  const run = new SolverRun({
    denoise: opts.denoise,
    sigmas: opts.sigmas,
    x,
    batch,
    afsSigmaData: afs ? sigmaData : null,
    rngs: sampleRngs(seeds, Stream.sde),
    churn: resolveChurn(opts),
    onStep: opts.onStep,
  });
  await SOLVERS[solver](run);
  return { x: run.x, nfe: run.nfe };
}
