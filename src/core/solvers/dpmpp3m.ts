import { oneCallPerStep, type SolverDef, type SolverFn } from './solverDef';
import type { SolverRun } from './solverRun';

/**
 * DPM-Solver++(3M) with noise eta, in t = -ln(sigma) with h = t_next - t and h_eta = (1 + eta) h:
 *   x_next = e^(-h_eta) x + (1 - e^(-h_eta)) D + phi_2 D1 - 2 phi_3 D2
 *            [+ sigma_next sqrt(1 - e^(-2 eta h)) eps],
 * phi_2 = 1 - (1 - e^(-h_eta)) / h_eta, phi_3 = phi_2 / h_eta - 1/2, where D1 ~ h D' and
 * D2 ~ h^2 D'' / 2 come from the divided differences of the last three x0 predictions (D' the
 * derivative in t). With one earlier prediction only D1 = (D - D_prev) h / h_prev is used; on
 * the first step and on a step to 0 (h infinite) it is the plain data-prediction step, which at
 * sigma_next = 0 returns D. Eta 0 is the ODE solver; eta 1 adds the noise that keeps the reverse
 * SDE's marginals.
 *
 * The factor 2 on phi_3 D2 is where this departs from k-diffusion (and the multistep code of
 * DPM-Solver it follows), which weight D2 by phi_3: the exponential integrator of the quadratic
 * through the three predictions needs -phi_3 h^2 D'' = -2 phi_3 D2. With their weight a D that
 * is quadratic in t is not integrated exactly and the solver is second order (measured 1.85 on
 * the Gaussian oracle); with this one it is third (3.03). See src/core/solvers.test.ts.
 */
export function dpmpp3mSampler(eta: number): SolverFn {
  return async function sampleDpmpp3m<V>(run: SolverRun<V>): Promise<V> {
    const { sigmas } = run;
    let x = run.x;
    // The previous two x0 predictions and their steps h, newest first (kept: see VecOps).
    let denoised1: V | undefined;
    let denoised2: V | undefined;
    let h1 = 0;
    let h2 = 0;
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
      const hEta = (1 + eta) * h;
      const phi1 = -Math.expm1(-hEta);
      const phi2 = 1 - phi1 / hEta;
      const phi3 = phi2 / hEta - 0.5;
      const terms: [number, V][] = [
        [Math.exp(-hEta), x],
        [phi1, denoised],
      ];
      const dead = [x];
      if (denoised2 !== undefined && denoised1 !== undefined) {
        const r0 = h1 / h;
        const r1 = h2 / h;
        // D1 = (1 + a) d1_0 - a d1_1 and D2 = (d1_0 - d1_1) / (r0 + r1), a = r0 / (r0 + r1), with
        // d1_0 = (D - D_(i-1)) / r0 and d1_1 = (D_(i-1) - D_(i-2)) / r1, spelled out as weights
        // on the three predictions so the step is one combination.
        const a = r0 / (r0 + r1);
        const c0 = phi2 * (1 + a) - (2 * phi3) / (r0 + r1);
        const c1 = -phi2 * a + (2 * phi3) / (r0 + r1);
        terms[1][0] += c0 / r0;
        terms.push([-c0 / r0 + c1 / r1, denoised1], [-c1 / r1, denoised2]);
        dead.push(denoised2);
      } else if (denoised1 !== undefined) {
        const r = h1 / h;
        terms[1][0] += phi2 / r;
        terms.push([-phi2 / r, denoised1]);
      }
      if (eta > 0) {
        const eps = run.noise();
        terms.push([sigmaNext * Math.sqrt(-Math.expm1(-2 * eta * h)), eps]);
        dead.push(eps);
      }
      x = await run.combine(terms, dead);
      denoised2 = denoised1;
      denoised1 = await run.keep(denoised);
      run.free(denoised);
      h2 = h1;
      h1 = h;
    }
    run.free(denoised1, denoised2);
    return x;
  };
}

export const dpmpp3m: SolverDef = {
  run: dpmpp3mSampler(0),
  label: 'DPM-Solver++(3M)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 3,
  reference: 'k-diffusion sample_dpmpp_3m_sde (eta = 0; D2 weighted 2 phi_3, see the comment)',
};
