import { heunStep } from './heun';
import type { SolverRun } from './solverRun';

/**
 * EDM Algorithm 2 (NVlabs/edm edm_sampler). Each step optionally raises the noise from sigma to
 * sigma_hat = sigma (1 + gamma) by adding sqrt(sigma_hat^2 - sigma^2) S_noise n, then takes a Heun
 * step from sigma_hat (heun.ts's heunStep); the last step stays Euler. With gamma = 0 everywhere no
 * noise is drawn and the arithmetic is that of heun.ts. NFE = 2N - 1.
 */
export async function edmSde<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  const { churn, sTmin, sTmax, sNoise } = run.churn;
  const n = run.steps;
  const gammaMax = Math.min(churn / n, Math.SQRT2 - 1);
  let x = run.x;
  for (let i = 0; i < n; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const gamma = churn > 0 && s >= sTmin && s <= sTmax ? gammaMax : 0;
    let sHat = s;
    if (gamma > 0) {
      sHat = s + gamma * s;
      const eps = run.noise();
      x = await ops.lincomb([1, Math.sqrt(sHat * sHat - s * s) * sNoise], [x, eps], [x, eps]);
    }
    const den = await run.denoise(x, sHat, i);
    const d = await run.direction(x, den, sHat);
    await run.report(i, sHat, sNext, x, den, d);
    ops.free(den);
    x = await heunStep(run, i, x, d, sHat, sNext, i === n - 1);
  }
  return x;
}
