import { dpmpp3mSampler } from './dpmpp3m';
import { oneCallPerStep, type SolverDef } from './solverDef';

/** DPM-Solver++(3M) SDE, eta = 1: the 3M update of dpmpp3m.ts with its full noise term. */
export const dpmpp3mSde: SolverDef = {
  run: dpmpp3mSampler(1),
  label: 'DPM-Solver++(3M) SDE',
  calls: oneCallPerStep,
  stochastic: true,
  afs: false,
  churn: false,
  order: 3,
  reference: 'k-diffusion sample_dpmpp_3m_sde (eta = 1; D2 weighted 2 phi_3, see dpmpp3m.ts)',
};
