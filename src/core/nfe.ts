import { MAX_STEPS } from './schedule';
import { solverFacts, type SolverName } from './solvers';

export function checkAfs(solver: SolverName, afs: boolean): void {
  if (afs && !solverFacts(solver).afs) {
    throw new RangeError(`AFS applies only to deterministic solvers, not '${solver}'`);
  }
}

/** Denoiser calls that `steps` steps cost (the solver's `calls`); AFS saves one. */
export function nfeForSteps(solver: SolverName, steps: number, afs = false): number {
  const facts = solverFacts(solver);
  checkAfs(solver, afs);
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    throw new RangeError(`steps must be an integer in 1..${MAX_STEPS}, got ${steps}`);
  }
  const calls = facts.calls(steps);
  return afs ? calls - 1 : calls;
}

/** Every NFE in 1..maxNfe that the solver can spend exactly, ascending. */
export function achievableNfes(solver: SolverName, afs = false, maxNfe = 20): number[] {
  checkAfs(solver, afs);
  const out: number[] = [];
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    const nfe = nfeForSteps(solver, steps, afs);
    if (nfe > maxNfe) break;
    if (nfe >= 1) out.push(nfe);
  }
  return out;
}

/**
 * The step count that spends exactly `nfe` denoiser calls. Throws for an NFE the solver cannot
 * hit (heun-type: odd NFE only, even with AFS), naming the nearest ones it can.
 */
export function stepsForNfe(solver: SolverName, nfe: number, afs = false): number {
  checkAfs(solver, afs);
  if (!Number.isInteger(nfe) || nfe < 1) {
    throw new RangeError(`nfe must be a positive integer, got ${nfe}`);
  }
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    const spent = nfeForSteps(solver, steps, afs);
    if (spent === nfe) return steps;
    if (spent > nfe) {
      const near = achievableNfes(solver, afs, nfe + 1).filter((v) => Math.abs(v - nfe) === 1);
      throw new RangeError(
        `${solver}${afs ? ' with AFS' : ''} cannot spend exactly ${nfe} NFE; nearest: ${near.join(' or ')}`,
      );
    }
  }
  throw new RangeError(`nfe ${nfe} needs more than ${MAX_STEPS} steps`);
}

/**
 * The achievable NFE nearest to `nfe` within 1..maxNfe (ties go down: fewer calls). The one place
 * that maps a wanted NFE to a runnable one: the slider, the URL, the CLIs and the report use it.
 */
export function snapNfe(solver: SolverName, afs: boolean, nfe: number, maxNfe: number): number {
  const choices = achievableNfes(solver, afs, maxNfe);
  if (choices.length === 0) throw new RangeError(`${solver} cannot run within ${maxNfe} NFE`);
  const wanted = Number.isFinite(nfe) ? nfe : maxNfe;
  return choices.reduce((best, v) => (Math.abs(v - wanted) < Math.abs(best - wanted) ? v : best));
}
