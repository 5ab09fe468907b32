import type { SolverRun } from './solverRun';

/**
 * DPM-Solver++(2M) (k-diffusion sample_dpmpp_2m) in t = -ln(sigma): first-order data-prediction
 * step on the first step and on a step to 0; otherwise a second-order multistep correction of the
 * x0 prediction with r = h_prev / h. NFE = N.
 */
export async function dpmpp2m(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  const prev = new Float32Array(x.length);
  let hPrev = 0;
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    run.report(i, s, sNext, x, den);
    if (sNext === 0) {
      x.set(den);
      continue;
    }
    const h = Math.log(s) - Math.log(sNext);
    const ratio = sNext / s;
    const c = -Math.expm1(-h);
    if (i === 0) {
      for (let j = 0; j < x.length; j++) x[j] = ratio * x[j] + c * den[j];
    } else {
      const k = 1 / (2 * (hPrev / h));
      for (let j = 0; j < x.length; j++) {
        x[j] = ratio * x[j] + c * ((1 + k) * den[j] - k * prev[j]);
      }
    }
    prev.set(den);
    hPrev = h;
  }
}
