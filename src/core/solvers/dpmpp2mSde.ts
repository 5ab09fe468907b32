import { dpmpp2mSampler } from './dpmpp2m';
import { oneCallPerStep, type SolverDef } from './solverDef';

/** DPM-Solver++(2M) SDE, eta = 1: the 2M update of dpmpp2m.ts with its full noise term. */
export const dpmpp2mSde: SolverDef = {
  run: dpmpp2mSampler(1),
  label: 'DPM-Solver++(2M) SDE',
  calls: oneCallPerStep,
  stochastic: true,
  afs: false,
  churn: false,
  order: 2,
  reference: "k-diffusion sample_dpmpp_2m_sde (solver_type 'midpoint', eta = 1)",
};
