import { MAX_STEPS } from './schedule';
import type { SolverName } from './types';
import { DETERMINISTIC, isSolverName } from './solvers';

/** Heun-type solvers call the denoiser twice per step except on the last one. */
function callsPerStep(solver: SolverName): 1 | 2 {
  return solver === 'heun' || solver === 'edm-sde' ? 2 : 1;
}

function checkSolver(solver: SolverName, afs: boolean): void {
  if (!isSolverName(solver)) throw new RangeError(`unknown solver '${String(solver)}'`);
  if (afs && !DETERMINISTIC.includes(solver)) {
    throw new RangeError(`AFS applies only to deterministic solvers, not '${solver}'`);
  }
}

/** Denoiser calls that `steps` steps cost: N, or 2N - 1 for heun/edm-sde; AFS saves one. */
export function nfeForSteps(solver: SolverName, steps: number, afs = false): number {
  checkSolver(solver, afs);
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    throw new RangeError(`steps must be an integer in 1..${MAX_STEPS}, got ${steps}`);
  }
  const calls = callsPerStep(solver) === 2 ? 2 * steps - 1 : steps;
  return afs ? calls - 1 : calls;
}

/**
 * The step count that spends exactly `nfe` denoiser calls. Throws for an NFE the solver cannot
 * hit (heun/edm-sde: odd NFE only, even with AFS), naming the nearest ones it can.
 */
export function stepsForNfe(solver: SolverName, nfe: number, afs = false): number {
  checkSolver(solver, afs);
  if (!Number.isInteger(nfe) || nfe < 1) {
    throw new RangeError(`nfe must be a positive integer, got ${nfe}`);
  }
  const calls = afs ? nfe + 1 : nfe;
  const steps = callsPerStep(solver) === 2 ? (calls + 1) / 2 : calls;
  if (!Number.isInteger(steps)) {
    const near = achievableNfes(solver, afs, nfe + 1).filter((v) => Math.abs(v - nfe) === 1);
    throw new RangeError(
      `${solver}${afs ? ' with AFS' : ''} cannot spend exactly ${nfe} NFE; nearest: ${near.join(' or ')}`,
    );
  }
  if (steps > MAX_STEPS) throw new RangeError(`nfe ${nfe} needs ${steps} steps, over ${MAX_STEPS}`);
  return steps;
}

/** Every NFE in 1..maxNfe that the solver can spend exactly. */
export function achievableNfes(solver: SolverName, afs = false, maxNfe = 20): number[] {
  const out: number[] = [];
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    const nfe = nfeForSteps(solver, steps, afs);
    if (nfe > maxNfe) break;
    if (nfe >= 1) out.push(nfe);
  }
  return out;
}
