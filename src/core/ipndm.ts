import { toDirection, type SolverRun } from './solverRun';

/** Adams-Bashforth weights, newest slope first, for orders 1..4. */
const AB: readonly (readonly number[])[] = [
  [1],
  [3 / 2, -1 / 2],
  [23 / 12, -16 / 12, 5 / 12],
  [55 / 24, -59 / 24, 37 / 24, -9 / 24],
];

/**
 * iPNDM (zju-pi/diff-sampler ipndm_sampler): fixed-coefficient Adams-Bashforth on the history of
 * slopes d, order min(4, i + 1): x <- x + (sigma_next - sigma) sum_k c_k d_(i-k). NFE = N.
 */
export async function ipndm(run: SolverRun): Promise<void> {
  const { sigmas, x } = run;
  // Ring of the last four slopes; hist[0] is the newest after the rotation below.
  const hist: Float32Array[] = Array.from({ length: 4 }, () => new Float32Array(x.length));
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    hist.unshift(hist.pop() as Float32Array);
    const d = hist[0];
    const den = await run.denoiseStart(x, s, i);
    toDirection(d, x, den, s);
    run.report(i, s, sNext, x, den, d);
    const c = AB[Math.min(4, i + 1) - 1];
    const h = sNext - s;
    // Unrolled per order: this loop runs once per step over the whole batch in the browser.
    const [d1, d2, d3] = [hist[1], hist[2], hist[3]];
    if (c.length === 1) {
      for (let j = 0; j < x.length; j++) x[j] += h * d[j];
    } else if (c.length === 2) {
      for (let j = 0; j < x.length; j++) x[j] += h * (c[0] * d[j] + c[1] * d1[j]);
    } else if (c.length === 3) {
      for (let j = 0; j < x.length; j++) x[j] += h * (c[0] * d[j] + c[1] * d1[j] + c[2] * d2[j]);
    } else {
      for (let j = 0; j < x.length; j++) {
        x[j] += h * (c[0] * d[j] + c[1] * d1[j] + c[2] * d2[j] + c[3] * d3[j]);
      }
    }
  }
}
