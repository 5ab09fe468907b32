import { twoCallsPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * DPM-Solver-2 in the k-diffusion form: an Euler half step to sigma_mid, the midpoint of sigma and
 * sigma_next in log sigma, then the full step with the slope found there. The last step is a
 * plain Euler step, on either grid end: on a step to 0 log(0) has no midpoint, and doing the same
 * before sigma_min keeps the cost 2N - 1 calls on both conventions (like heun).
 */
async function sampleDpm2<V>(run: SolverRun<V>): Promise<V> {
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
    if (i === n - 1) {
      x = await run.combine(
        [
          [1, x],
          [sigmaNext - sigma, d],
        ],
        [x, d],
      );
      continue;
    }
    const sigmaMid = Math.sqrt(sigma * sigmaNext);
    const x2 = await run.combine(
      [
        [1, x],
        [sigmaMid - sigma, d],
      ],
      [d],
    );
    const denoised2 = await run.denoise(x2, sigmaMid, i);
    // x + (sigma_next - sigma) d_2 with d_2 = (x_2 - denoised_2) / sigma_mid, as one combination.
    const k = (sigmaNext - sigma) / sigmaMid;
    x = await run.combine(
      [
        [1, x],
        [k, x2],
        [-k, denoised2],
      ],
      [x, x2, denoised2],
    );
  }
  return x;
}

export const dpm2: SolverDef = {
  run: sampleDpm2,
  label: 'DPM-Solver-2',
  calls: twoCallsPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 2,
  reference: 'k-diffusion sample_dpm_2',
};
