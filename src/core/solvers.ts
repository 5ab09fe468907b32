import { dpmpp2m } from './dpmpp2m';
import { edmSde } from './edmSde';
import { euler } from './euler';
import { eulerAncestral } from './eulerAncestral';
import { heun } from './heun';
import { ipndm } from './ipndm';
import type { SolverDef } from './solverDef';

/**
 * The solver registry: one line per solver, in the order menus show them. Each solver's file
 * declares its facts (SolverDef); everything else derives from this table.
 */
export const SOLVERS = {
  ipndm,
  heun,
  euler,
  'dpmpp-2m': dpmpp2m,
  'edm-sde': edmSde,
  'euler-ancestral': eulerAncestral,
} as const satisfies Record<string, SolverDef>;

/** A solver's name as the URL, the CLIs and `sample()` spell it. */
export type SolverName = keyof typeof SOLVERS;

export const SOLVER_NAMES = Object.keys(SOLVERS) as SolverName[];

export function isSolverName(name: unknown): name is SolverName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SOLVERS, name);
}

/** The facts of a solver; throws a RangeError naming the known ones for anything else. */
export function solverFacts(name: SolverName): SolverDef {
  if (!isSolverName(name)) {
    throw new RangeError(`unknown solver '${String(name)}'; one of ${SOLVER_NAMES.join(', ')}`);
  }
  return SOLVERS[name];
}
