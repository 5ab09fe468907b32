import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

const ETA = 1;

/**
 * DPM-Solver++(2M) SDE, midpoint type, eta = 1, in t = -ln(sigma) with h = t_next - t:
 *   x_next = (sigma_next / sigma) e^(-eta h) x + (1 - e^(-(1 + eta) h)) (D + (D - D_prev) / (2r))
 *            + sigma_next sqrt(1 - e^(-2 eta h)) eps,   r = h_prev / h,
 * the correction dropped on the first step; a step to 0 returns D. The noise added is what the
 * extra contraction of x removed, so the marginals of the reverse SDE are kept.
 */
async function sampleDpmpp2mSde<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  let oldDenoised: V | undefined;
  let hLast = 0;
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoise(x, sigma, i);
    await run.report(i, sigma, sigmaNext, x, denoised);
    if (sigmaNext === 0) {
      x = await run.combine([[1, denoised]], [x, denoised]);
      continue;
    }
    const h = Math.log(sigma) - Math.log(sigmaNext);
    const phi = -Math.expm1(-h - ETA * h);
    const eps = run.noise();
    const terms: [number, V][] = [
      [(sigmaNext / sigma) * Math.exp(-ETA * h), x],
      [phi, denoised],
      [sigmaNext * Math.sqrt(-Math.expm1(-2 * ETA * h)), eps],
    ];
    if (oldDenoised !== undefined) {
      const k = phi / (2 * (hLast / h));
      terms[1][0] += k;
      terms.push([-k, oldDenoised]);
    }
    x = await run.combine(terms, [x, eps]);
    ops.free(oldDenoised);
    oldDenoised = await ops.keep(denoised);
    ops.free(denoised);
    hLast = h;
  }
  ops.free(oldDenoised);
  return x;
}

export const dpmpp2mSde: SolverDef = {
  run: sampleDpmpp2mSde,
  label: 'DPM-Solver++(2M) SDE',
  calls: oneCallPerStep,
  stochastic: true,
  afs: false,
  churn: false,
  order: 2,
  reference: "k-diffusion sample_dpmpp_2m_sde (solver_type 'midpoint', eta = 1)",
};
