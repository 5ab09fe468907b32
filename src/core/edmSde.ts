import { heunStep } from './heun';
import { toDirection, type SolverRun } from './solverRun';

/**
 * EDM Algorithm 2 (NVlabs/edm edm_sampler). Each step optionally raises the noise from sigma to
 * sigma_hat = sigma (1 + gamma) by adding sqrt(sigma_hat^2 - sigma^2) S_noise n, then takes a Heun
 * step from sigma_hat (heun.ts's heunStep); the last step stays Euler. With gamma = 0 everywhere no
 * noise is drawn and the arithmetic is that of heun.ts. NFE = 2N - 1.
 */
export async function edmSde(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  const { churn, sTmin, sTmax, sNoise } = run.churn;
  const n = run.steps;
  const gammaMax = Math.min(churn / n, Math.SQRT2 - 1);
  const d = new Float32Array(x.length);
  const xNext = new Float32Array(x.length);
  const eps = churn > 0 ? new Float32Array(x.length) : null;
  for (let i = 0; i < n; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const gamma = eps && s >= sTmin && s <= sTmax ? gammaMax : 0;
    let sHat = s;
    if (eps && gamma > 0) {
      sHat = s + gamma * s;
      const scale = Math.sqrt(sHat * sHat - s * s) * sNoise;
      run.noise(eps);
      for (let j = 0; j < x.length; j++) x[j] += scale * eps[j];
    }
    const den = await run.denoise(x, sHat, i);
    toDirection(d, x, den, sHat);
    run.report(i, sHat, sNext, x, den, d);
    await heunStep(run, i, x, d, xNext, sHat, sNext, i === n - 1);
  }
}
