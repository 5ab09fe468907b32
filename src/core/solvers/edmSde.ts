import { heunStep } from './heun';
import { twoCallsPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * EDM Algorithm 2. Each step may raise the noise from sigma to sigma_hat = sigma (1 + gamma) by
 * adding sqrt(sigma_hat^2 - sigma^2) S_noise eps, then takes a Heun step from sigma_hat; the last
 * step stays Euler. With gamma = 0 everywhere no noise is drawn and the arithmetic is Heun's.
 */
async function sampleEdmSde<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  const { churn, sTmin, sTmax, sNoise } = run.churn;
  const n = run.steps;
  const gammaMax = Math.min(churn / n, Math.SQRT2 - 1);
  let x = run.x;
  for (let i = 0; i < n; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const gamma = churn > 0 && sigma >= sTmin && sigma <= sTmax ? gammaMax : 0;
    let sigmaHat = sigma;
    if (gamma > 0) {
      sigmaHat = sigma + gamma * sigma;
      const eps = run.noise();
      x = await run.combine(
        [
          [1, x],
          [Math.sqrt(sigmaHat ** 2 - sigma ** 2) * sNoise, eps],
        ],
        [x, eps],
      );
    }
    const denoised = await run.denoise(x, sigmaHat, i);
    const d = await run.direction(x, denoised, sigmaHat);
    await run.report(i, sigmaHat, sigmaNext, x, denoised, d);
    run.free(denoised);
    x = await heunStep(run, i, x, d, sigmaHat, sigmaNext, i === n - 1);
  }
  return x;
}

export const edmSde: SolverDef = {
  run: sampleEdmSde,
  label: 'EDM stochastic (churn)',
  calls: twoCallsPerStep,
  stochastic: true,
  afs: false,
  churn: true,
  order: 2,
  reference: 'NVlabs/edm edm_sampler (Algorithm 2)',
};
