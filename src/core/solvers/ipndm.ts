import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

/** Adams-Bashforth weights, newest slope first, for orders 1..4. */
const AB: readonly (readonly number[])[] = [
  [1],
  [3 / 2, -1 / 2],
  [23 / 12, -16 / 12, 5 / 12],
  [55 / 24, -59 / 24, 37 / 24, -9 / 24],
];

/**
 * iPNDM: fixed-coefficient Adams-Bashforth on the history of slopes, order min(4, i + 1):
 * x <- x + (sigma_next - sigma) sum_k c_k d_(i-k).
 */
async function sampleIpndm<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas, ops } = run;
  let x = run.x;
  // The last slopes, newest first; the oldest drops out once four are kept.
  const dHistory: V[] = [];
  for (let i = 0; i < run.steps; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const denoised = await run.denoiseStart(x, sigma, i);
    const d = await run.direction(
      x,
      denoised,
      sigma,
      dHistory.length === 4 ? dHistory.pop() : undefined,
    );
    dHistory.unshift(d);
    await run.report(i, sigma, sigmaNext, x, denoised, d);
    ops.free(denoised);
    const h = sigmaNext - sigma;
    const c = AB[dHistory.length - 1];
    x = await run.combine(
      [[1, x] as const, ...dHistory.map((dk, k) => [h * c[k], dk] as const)],
      [x],
    );
  }
  dHistory.forEach((d) => ops.free(d));
  return x;
}

export const ipndm: SolverDef = {
  run: sampleIpndm,
  label: 'iPNDM (Adams-Bashforth)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: 4,
  reference: 'zju-pi/diff-sampler ipndm_sampler',
};
