import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * Euler ancestral (eta = 1): the step to sigma_next splits into a deterministic Euler move to
 * sigma_down and fresh noise of size sigma_up, with sigma_down^2 + sigma_up^2 = sigma_next^2.
 */
async function sampleEulerAncestral<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  let x = run.x;
  let d: V | undefined;
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoise(x, sigma, i);
    d = await run.direction(x, denoised, sigma, d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    run.free(denoised);
    const sigmaUp = Math.min(
      sigmaNext,
      Math.sqrt((sigmaNext ** 2 * (sigma ** 2 - sigmaNext ** 2)) / sigma ** 2),
    );
    const sigmaDown = Math.sqrt(sigmaNext ** 2 - sigmaUp ** 2);
    if (sigmaNext > 0) {
      const eps = run.noise();
      x = await run.combine(
        [
          [1, x],
          [sigmaDown - sigma, d],
          [sigmaUp, eps],
        ],
        [x, eps],
      );
    } else {
      x = await run.combine(
        [
          [1, x],
          [sigmaDown - sigma, d],
        ],
        [x],
      );
    }
  }
  run.free(d);
  return x;
}

export const eulerAncestral: SolverDef = {
  run: sampleEulerAncestral,
  label: 'Euler ancestral (SDE)',
  calls: oneCallPerStep,
  stochastic: true,
  afs: false,
  churn: false,
  order: 1,
  reference: 'k-diffusion sample_euler_ancestral (eta = 1)',
};
