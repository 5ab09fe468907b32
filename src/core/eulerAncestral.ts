import { toDirection, type SolverRun } from './solverRun';

/**
 * Euler ancestral (k-diffusion sample_euler_ancestral, eta = 1): split the step to sigma_next into
 * a deterministic Euler move to sigma_down and fresh noise of size sigma_up, with
 * sigma_down^2 + sigma_up^2 = sigma_next^2. NFE = N.
 */
export async function eulerAncestral(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  const d = new Float32Array(x.length);
  const eps = new Float32Array(x.length);
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoise(x, s, i);
    toDirection(d, x, den, s);
    run.report(i, s, sNext, x, den, d);
    const sUp = Math.min(sNext, Math.sqrt((sNext * sNext * (s * s - sNext * sNext)) / (s * s)));
    const sDown = Math.sqrt(sNext * sNext - sUp * sUp);
    const h = sDown - s;
    for (let j = 0; j < x.length; j++) x[j] += h * d[j];
    if (sNext > 0) {
      run.noise(eps);
      for (let j = 0; j < x.length; j++) x[j] += sUp * eps[j];
    }
  }
}
