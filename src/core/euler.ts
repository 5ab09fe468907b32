import { toDirection, type SolverRun } from './solverRun';

/** Euler on dx/dsigma = d: x <- x + (sigma_next - sigma) d. NFE = N. */
export async function euler(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  const d = new Float32Array(x.length);
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    toDirection(d, x, den, s);
    run.report(i, s, sNext, x, den, d);
    const h = sNext - s;
    for (let j = 0; j < x.length; j++) x[j] += h * d[j];
  }
}
