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
    const h = sNext - s;
    if (i === n - 1) {
      for (let j = 0; j < x.length; j++) x[j] += h * d[j];
      continue;
    }
    for (let j = 0; j < x.length; j++) xNext[j] = x[j] + h * d[j];
    const den2 = await run.denoise(xNext, sNext, i);
    const inv = 1 / sNext;
    for (let j = 0; j < x.length; j++) {
      const dPrime = (xNext[j] - den2[j]) * inv;
      x[j] += h * (0.5 * d[j] + 0.5 * dPrime);
    }
  }
}
