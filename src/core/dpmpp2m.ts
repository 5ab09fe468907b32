import type { SolverRun } from './solverRun';

/**
 * DPM-Solver++(2M) (k-diffusion sample_dpmpp_2m) in t = -ln(sigma): first-order data-prediction
 * step on the first step and on a step to 0; otherwise a second-order multistep correction of the
 * x0 prediction with r = h_prev / h. NFE = N.
 */
export async function dpmpp2m<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  let prev: V | undefined;
  let hPrev = 0;
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    await run.report(i, s, sNext, x, den);
    if (sNext === 0) {
      x = await ops.lincomb([1], [den], [x, den]);
      continue;
    }
    const h = Math.log(s) - Math.log(sNext);
    const ratio = sNext / s;
    const c = -Math.expm1(-h);
    if (i === 0 || prev === undefined) {
      x = await ops.lincomb([ratio, c], [x, den], [x]);
    } else {
      const k = 1 / (2 * (hPrev / h));
      x = await ops.lincomb([ratio, c * (1 + k), -c * k], [x, den, prev], [x, prev]);
    }
    prev = await ops.keep(den);
    ops.free(den);
    hPrev = h;
  }
  ops.free(prev);
  return x;
}
