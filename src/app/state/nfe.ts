import { achievableNfes } from '../../core';
import type { SolverName } from '../../core';
import { SOLVERS, type Settings } from './settings';

export const MAX_NFE = 50;
export const SWEEP_NFES = [2, 3, 4, 6, 10, 20] as const;

/** AFS only exists for the deterministic solvers. */
export function afsApplies(solver: SolverName): boolean {
  return !SOLVERS.find((s) => s.id === solver)?.stochastic;
}

export function nfeChoices(solver: SolverName, afs: boolean): number[] {
  return achievableNfes(solver, afs && afsApplies(solver), MAX_NFE);
}

/** The achievable NFE closest to the wanted one (ties go down: fewer calls). */
export function snapNfe(solver: SolverName, afs: boolean, nfe: number): number {
  const choices = nfeChoices(solver, afs);
  return choices.reduce((best, v) => (Math.abs(v - nfe) < Math.abs(best - nfe) ? v : best));
}

/** The sampling parameters the worker runs, with the NFE snapped to one the solver can do. */
export function sampleParams(s: Settings) {
  const afs = s.afs && afsApplies(s.solver);
  return {
    solver: s.solver,
    nfe: snapNfe(s.solver, afs, s.nfe),
    afs,
    gridEnd: s.gridEnd,
    churn: s.churn,
    batch: s.batch,
    seed: s.seed,
    code: s.code,
  };
}
