import { ddim } from './ddim';
import { deis } from './deis';
import { dpm2 } from './dpm2';
import { dpmpp2m } from './dpmpp2m';
import { dpmpp2mSde } from './dpmpp2mSde';
import { dpmpp3m } from './dpmpp3m';
import { dpmpp3mSde } from './dpmpp3mSde';
import { edmSde } from './edmSde';
import { euler } from './euler';
import { eulerAncestral } from './eulerAncestral';
import { heun } from './heun';
import { ipndm } from './ipndm';
import { ipndmV } from './ipndmV';
import { lms } from './lms';
import { unipc } from './unipc';
import type { SolverDef } from './solverDef';

/**
 * The solver registry: one line per solver, in the order menus show them. Each solver's file
 * declares its facts (SolverDef); everything else derives from this table.
 */
export const SOLVERS = {
  // ODE solvers: the paper's Adams-Bashforth pair, single-step methods, then multistep ones.
  ipndm,
  'ipndm-v': ipndmV,
  heun,
  euler,
  ddim,
  dpm2,
  'dpmpp-2m': dpmpp2m,
  'dpmpp-3m': dpmpp3m,
  unipc,
  deis,
  lms,
  // SDE solvers (fresh noise every step, no AFS).
  'edm-sde': edmSde,
  'euler-ancestral': eulerAncestral,
  'dpmpp-2m-sde': dpmpp2mSde,
  'dpmpp-3m-sde': dpmpp3mSde,
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
