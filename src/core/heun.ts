import { toDirection, type SolverRun } from './solverRun';

/**
 * EDM Algorithm 1 (NVlabs/edm edm_sampler without churn): Euler predictor to sigma_next, then the
 * trapezoidal average of the slopes at both ends; the last step stays Euler. NFE = 2N - 1.
 */
export async function heun(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  const n = run.steps;
  const d = new Float32Array(x.length);
  const xNext = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    toDirection(d, x, den, s);
    run.report(i, s, sNext, x, den, d);
    await heunStep(run, i, x, d, xNext, s, sNext, i === n - 1);
  }
}

/**
 * From x at sigma s with its slope d: Euler predictor to sNext, then the trapezoidal average of the
 * slopes at both ends (one more denoiser call); the step to the grid's end stays Euler. Shared by
 * heun and edm-sde (which calls it from sigma_hat), so churn 0 gives Heun's arithmetic exactly.
 */
export async function heunStep(
  run: SolverRun,
  i: number,
  x: Float32Array,
  d: Float32Array,
  xNext: Float32Array,
  s: number,
  sNext: number,
  last: boolean,
): Promise<void> {
  const h = sNext - s;
  if (last) {
    for (let j = 0; j < x.length; j++) x[j] += h * d[j];
    return;
  }
  for (let j = 0; j < x.length; j++) xNext[j] = x[j] + h * d[j];
  const den2 = await run.denoise(xNext, sNext, i);
  const inv = 1 / sNext;
  for (let j = 0; j < x.length; j++) {
    const dPrime = (xNext[j] - den2[j]) * inv;
    x[j] += h * (0.5 * d[j] + 0.5 * dPrime);
  }
}
