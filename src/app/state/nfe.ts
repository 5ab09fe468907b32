import { achievableNfes, solverFacts, type SolverName } from '../../core';
import type { SampleParams } from '../worker/protocol';
import { LIMITS, type Settings } from './settings';

export const SWEEP_NFES = [2, 3, 4, 6, 10, 20] as const;

/** The NFEs the slider offers for a solver (settings are already normalised, see settings.ts). */
export function nfeChoices(solver: SolverName, afs: boolean): number[] {
  return achievableNfes(solver, afs && solverFacts(solver).afs, LIMITS.nfe.max);
}

/** The sampling parameters the worker runs; normalised settings need no further checks. */
export function sampleParams(s: Settings): SampleParams {
  return {
    solver: s.solver,
    nfe: s.nfe,
    afs: s.afs,
    gridEnd: s.gridEnd,
    churn: s.churn,
    batch: s.batch,
    seed: s.seed,
    code: s.code,
  };
}
