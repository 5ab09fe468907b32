import type { SolverRun } from './solverRun';

/**
 * EDM Algorithm 1 (NVlabs/edm edm_sampler without churn): Euler predictor to sigma_next, then the
 * trapezoidal average of the slopes at both ends; the last step stays Euler. NFE = 2N - 1.
 */
export async function heun<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  const n = run.steps;
  let x = run.x;
  for (let i = 0; i < n; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    const d = await run.direction(x, den, s);
    await run.report(i, s, sNext, x, den, d);
    ops.free(den);
    x = await heunStep(run, i, x, d, s, sNext, i === n - 1);
  }
  return x;
}

/**
 * From x at sigma s with its slope d: Euler predictor to sNext, then the trapezoidal average of the
 * slopes at both ends (one more denoiser call); the step to the grid's end stays Euler. Shared by
 * heun and edm-sde (which calls it from sigma_hat), so churn 0 gives Heun's arithmetic exactly.
 * Consumes x and d; returns the new x.
 */
export async function heunStep<V>(
  run: SolverRun<V>,
  i: number,
  x: V,
  d: V,
  s: number,
  sNext: number,
  last: boolean,
): Promise<V> {
  const { ops } = run;
  const h = sNext - s;
  if (last) return ops.lincomb([1, h], [x, d], [x, d]);
  const xNext = await ops.lincomb([1, h], [x, d]);
  const den2 = await run.denoise(xNext, sNext, i);
  // x + h (d + d') / 2 with d' = (xNext - den2) / sNext.
  const k = h / (2 * sNext);
  return ops.lincomb([1, h / 2, k, -k], [x, d, xNext, den2], [x, d, xNext, den2]);
}
