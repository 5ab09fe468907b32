import type { SolverRun } from './solverRun';

/** Euler on dx/dsigma = d: x <- x + (sigma_next - sigma) d. NFE = N. */
export async function euler<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  let d: V | undefined;
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    d = await run.direction(x, den, s, d);
    await run.report(i, s, sNext, x, den, d);
    ops.free(den);
    x = await ops.lincomb([1, sNext - s], [x, d], [x]);
  }
  ops.free(d);
  return x;
}
