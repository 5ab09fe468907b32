import type { SolverRun } from './solverRun';

/** Walks the run's grid from its x and returns the final x (see VecOps for ownership). */
export type SolverFn = <V>(run: SolverRun<V>) => Promise<V>;

/**
 * Everything the rest of the project knows about one solver: the UI's list and slider, URL and
 * CLI validation, NFE snapping and the report all read these facts, so a solver is declared once.
 */
export interface SolverDef {
  run: SolverFn;
  /** The name people know it by, for menus and report tables. */
  label: string;
  /** Denoiser calls that `steps` steps cost, before AFS saves one. */
  calls: (steps: number) => number;
  /** Draws fresh noise during the run (so x_T alone does not fix the result). */
  stochastic: boolean;
  /** Takes the analytical first step: its first call is a plain D(x_T; sigma_max). */
  afs: boolean;
  /** Takes EDM's churn options (S_churn, S_tmin, S_tmax, S_noise). */
  churn: boolean;
  /** Global order of accuracy on a smooth ODE (stochastic solvers: strong order of the ODE part). */
  order: number;
  /** Where the update rule comes from. */
  reference: string;
}

export const oneCallPerStep = (steps: number): number => steps;
/** Heun-type: a predictor and a corrector call per step, the last step a plain Euler step. */
export const twoCallsPerStep = (steps: number): number => 2 * steps - 1;
