import { oneCallPerStep, type SolverDef, type SolverFn } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * DPM-Solver++(2M) with noise eta, midpoint type, in t = -ln(sigma) with h = t_next - t:
 *   x_next = (sigma_next / sigma) e^(-eta h) x + (1 - e^(-(1 + eta) h)) (D + (D - D_prev) / (2r))
 *            [+ sigma_next sqrt(1 - e^(-2 eta h)) eps],   r = h_prev / h,
 * the correction dropped on the first step; a step to 0 returns D. Eta 0 is the ODE solver
 * (k-diffusion sample_dpmpp_2m); eta 1 adds the noise that the extra contraction of x removed,
 * so the marginals of the reverse SDE are kept (sample_dpmpp_2m_sde).
 */
export function dpmpp2mSampler(eta: number): SolverFn {
  return async function sampleDpmpp2m<V>(run: SolverRun<V>): Promise<V> {
    const { sigmas } = run;
    let x = run.x;
    let oldDenoised: V | undefined;
    let hLast = 0;
    for (let i = 0; i < run.steps; i++) {
      const sigma = sigmas[i];
      const sigmaNext = sigmas[i + 1];
      // Without AFS (always so for eta > 0, which has no afs flag) this is a plain call.
      const denoised = await run.denoiseStart(x, sigma, i);
      await run.report(i, sigma, sigmaNext, x, denoised);
      if (sigmaNext === 0) {
        x = await run.combine([[1, denoised]], [x, denoised]);
        continue;
      }
      const h = Math.log(sigma) - Math.log(sigmaNext);
      const phi = -Math.expm1(-h - eta * h);
      const terms: [number, V][] = [
        [(sigmaNext / sigma) * Math.exp(-eta * h), x],
        [phi, denoised],
      ];
      const dead = [x];
      if (eta > 0) {
        const eps = run.noise();
        terms.push([sigmaNext * Math.sqrt(-Math.expm1(-2 * eta * h)), eps]);
        dead.push(eps);
      }
      if (oldDenoised !== undefined) {
        const k = phi / (2 * (hLast / h));
        terms[1][0] += k;
        terms.push([-k, oldDenoised]);
        dead.push(oldDenoised);
      }
      x = await run.combine(terms, dead);
      oldDenoised = await run.keep(denoised);
      run.free(denoised);
      hLast = h;
    }
    run.free(oldDenoised);
    return x;
  };
}

export const dpmpp2m: SolverDef = {
  run: dpmpp2mSampler(0),
  label: 'DPM-Solver++(2M)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 2,
  reference: 'k-diffusion sample_dpmpp_2m',
};
