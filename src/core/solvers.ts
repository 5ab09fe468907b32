import type { SolverName } from './types';
import { dpmpp2m } from './dpmpp2m';
import { edmSde } from './edmSde';
import { euler } from './euler';
import { eulerAncestral } from './eulerAncestral';
import { heun } from './heun';
import { ipndm } from './ipndm';
import type { SolverRun } from './solverRun';

/** Walks the run's grid from its x and returns the final x (see VecOps for ownership). */
export type Solver = <V>(run: SolverRun<V>) => Promise<V>;

export const SOLVERS: Readonly<Record<SolverName, Solver>> = {
  euler,
  heun,
  'edm-sde': edmSde,
  'euler-ancestral': eulerAncestral,
  'dpmpp-2m': dpmpp2m,
  ipndm,
};

export const SOLVER_NAMES = Object.keys(SOLVERS) as SolverName[];

/** Solvers whose only randomness is x_T; only these take AFS. */
export const DETERMINISTIC: readonly SolverName[] = ['euler', 'heun', 'dpmpp-2m', 'ipndm'];

export function isSolverName(name: unknown): name is SolverName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SOLVERS, name);
}
