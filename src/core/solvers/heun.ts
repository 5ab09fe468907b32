import { twoCallsPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * EDM Algorithm 1 (edm_sampler without churn): Euler predictor to sigma_next, then the
 * trapezoidal average of the slopes at both ends; the last step stays Euler.
 */
async function sampleHeun<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  const n = run.steps;
  let x = run.x;
  for (let i = 0; i < n; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    const d = await run.direction(x, denoised, sigma);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    run.free(denoised);
    x = await heunStep(run, i, x, d, sigma, sigmaNext, i === n - 1);
  }
  return x;
}

/**
 * From x at sigma with its slope d: x_next = x + h d, then x + h (d + d') / 2 with d' the slope at
 * (x_next, sigma_next) (one more call); the step to the grid's end stays Euler. Shared by heun and
 * edm-sde (which calls it from sigma_hat), so churn 0 gives Heun's arithmetic exactly. Consumes x
 * and d; returns the new x.
 */
export async function heunStep<V>(
  run: SolverRun<V>,
  i: number,
  x: V,
  d: V,
  sigma: number,
  sigmaNext: number,
  last: boolean,
): Promise<V> {
  const h = sigmaNext - sigma;
  if (last) {
    return run.combine(
      [
        [1, x],
        [h, d],
      ],
      [x, d],
    );
  }
  const xNext = await run.combine([
    [1, x],
    [h, d],
  ]);
  const denoised = await run.denoise(xNext, sigmaNext, i);
  // d' = (x_next - denoised) / sigma_next, written out so the update is one combination.
  const k = h / (2 * sigmaNext);
  return run.combine(
    [
      [1, x],
      [h / 2, d],
      [k, xNext],
      [-k, denoised],
    ],
    [x, d, xNext, denoised],
  );
}

export const heun: SolverDef = {
  run: sampleHeun,
  label: 'Heun (EDM 2nd order)',
  calls: twoCallsPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 2,
  reference: 'NVlabs/edm edm_sampler (Algorithm 1)',
};
