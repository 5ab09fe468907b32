import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * DDIM (eta = 0) as the data-prediction update: keep the x0 prediction and rescale the noise it
 * implies, eps = (x - denoised) / sigma, to the next level: x_next = denoised + sigma_next eps.
 * In the EDM parameterisation this is algebraically Euler's step (diff-sampler's euler_sampler
 * says so); it is written from DDIM's side so that the equality is a test, not a tautology.
 */
async function sampleDdim<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  let x = run.x;
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    await run.report(i, sigma, sigmaNext, x, denoised);
    // A step to sigma_next = 0 returns the x0 prediction itself.
    const ratio = sigmaNext / sigma;
    x = await run.combine(
      [
        [ratio, x],
        [1 - ratio, denoised],
      ],
      [x, denoised],
    );
  }
  return x;
}

export const ddim: SolverDef = {
  run: sampleDdim,
  label: 'DDIM',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 1,
  reference: 'zju-pi/diff-sampler euler_sampler (DDIM, Song et al. 2021)',
};
