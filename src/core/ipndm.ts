import type { SolverRun } from './solverRun';

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
export async function ipndm<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  // The last slopes, newest first; the oldest drops out once four are kept.
  const hist: V[] = [];
  for (let i = 0; i < run.steps; i++) {
    const s = sigmas[i];
    const sNext = sigmas[i + 1];
    const den = await run.denoiseStart(x, s, i);
    const d = await run.direction(x, den, s, hist.length === 4 ? hist.pop() : undefined);
    hist.unshift(d);
    await run.report(i, s, sNext, x, den, d);
    ops.free(den);
    const h = sNext - s;
    const c = AB[hist.length - 1].map((ck) => h * ck);
    x = await ops.lincomb([1, ...c], [x, ...hist], [x]);
  }
  hist.forEach((d) => ops.free(d));
  return x;
}
