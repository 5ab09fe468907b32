import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/** Euler on dx/dsigma = d: x <- x + (sigma_next - sigma) d. */
async function sampleEuler<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  let x = run.x;
  let d: V | undefined;
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    d = await run.direction(x, denoised, sigma, d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    run.free(denoised);
    x = await run.combine(
      [
        [1, x],
        [sigmaNext - sigma, d],
      ],
      [x],
    );
  }
  run.free(d);
  return x;
}

export const euler: SolverDef = {
  run: sampleEuler,
  label: 'Euler',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 1,
  reference: 'k-diffusion sample_euler',
};
