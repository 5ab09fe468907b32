import { isSolverName, SOLVERS } from '../../core';

/**
 * A solver as the report's tables and plots name it: the registry's label, plus AFS when taken.
 * A name the registry no longer has (an old eval.json) is shown as stored.
 */
export const solverLabel = (s: { solver: string; afs: boolean }): string =>
  `${isSolverName(s.solver) ? SOLVERS[s.solver].label : s.solver}${s.afs ? ' + AFS' : ''}`;
