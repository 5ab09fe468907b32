import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * DPM-Solver++(2M) in t = -ln(sigma): a first-order data-prediction step on the first step and on
 * a step to 0; otherwise the x0 prediction is corrected with the previous one, r = h_last / h.
 */
async function sampleDpmpp2m<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  let oldDenoised: V | undefined;
  let hLast = 0;
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    await run.report(i, sigma, sigmaNext, x, denoised);
    if (sigmaNext === 0) {
      x = await run.combine([[1, denoised]], [x, denoised]);
      continue;
    }
    const h = Math.log(sigma) - Math.log(sigmaNext);
    // x_next = (sigma_next / sigma) x - (e^-h - 1) D', D' the (corrected) x0 prediction.
    const phi = -Math.expm1(-h);
    if (oldDenoised === undefined) {
      x = await run.combine(
        [
          [sigmaNext / sigma, x],
          [phi, denoised],
        ],
        [x],
      );
    } else {
      const r = hLast / h;
      // D' = (1 + 1/(2r)) denoised - 1/(2r) old_denoised
      const k = 1 / (2 * r);
      x = await run.combine(
        [
          [sigmaNext / sigma, x],
          [phi * (1 + k), denoised],
          [-phi * k, oldDenoised],
        ],
        [x, oldDenoised],
      );
    }
    oldDenoised = await ops.keep(denoised);
    ops.free(denoised);
    hLast = h;
  }
  ops.free(oldDenoised);
  return x;
}

export const dpmpp2m: SolverDef = {
  run: sampleDpmpp2m,
  label: 'DPM-Solver++(2M)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 2,
  reference: 'k-diffusion sample_dpmpp_2m',
};
