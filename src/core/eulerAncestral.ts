import type { SolverRun } from './solverRun';

/**
 * Euler ancestral (k-diffusion sample_euler_ancestral, eta = 1): split the step to sigma_next into
 * a deterministic Euler move to sigma_down and fresh noise of size sigma_up, with
 * sigma_down^2 + sigma_up^2 = sigma_next^2. NFE = N.
 */
export async function eulerAncestral<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  let d: V | undefined;
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoise(x, s, i);
    d = await run.direction(x, den, s, d);
    await run.report(i, s, sNext, x, den, d);
    ops.free(den);
    const sUp = Math.min(sNext, Math.sqrt((sNext * sNext * (s * s - sNext * sNext)) / (s * s)));
    const sDown = Math.sqrt(sNext * sNext - sUp * sUp);
    if (sNext > 0) {
      const eps = run.noise();
      x = await ops.lincomb([1, sDown - s, sUp], [x, d, eps], [x, eps]);
    } else {
      x = await ops.lincomb([1, sDown - s], [x, d], [x]);
    }
  }
  ops.free(d);
  return x;
}
