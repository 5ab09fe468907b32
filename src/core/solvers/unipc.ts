import { oneCallPerStep, type SolverDef } from './solverDef';
import type { SolverRun } from './solverRun';

const MAX_ORDER = 3;

/** Solves the small system a rho = b (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const rho = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * rho[c];
    rho[r] = s / m[r][r];
  }
  return rho;
}

/**
 * b_k = k! phi_(k+1)(-h) / phi_1(-h) for k = 1..p, the right-hand side of UniPC's order
 * conditions with B(h) = e^(-h) - 1 (bh2); phi_1(z) = (e^z - 1) / z and
 * phi_(k+1)(z) = (phi_k(z) - 1/k!) / z.
 */
function orderConditions(h: number, p: number): number[] {
  const z = -h;
  const phi1 = Math.expm1(z) / z;
  const b: number[] = [];
  let phi = phi1;
  let factorial = 1;
  for (let k = 1; k <= p; k++) {
    factorial *= k;
    phi = (phi - 1 / factorial) / z;
    b.push((factorial * phi) / phi1);
  }
  return b;
}

interface Past<V> {
  denoised: V;
  logSigma: number;
}

/**
 * UniPC (bh2, data prediction), order up to 3 and one call per step. From the x0 predictions
 * D_0 (newest, at sigma) and D_k at earlier levels, with lambda = -ln(sigma), h = lambda_next -
 * lambda, r_k = (lambda_k - lambda) / h and differences D1_k = (D_k - D_0) / r_k:
 *   base      = (sigma_next / sigma) x + (1 - e^(-h)) D_0
 *   predictor x_p = base + (1 - e^(-h)) sum_k rho_p,k D1_k            (UniP)
 *   corrector x_next = base + (1 - e^(-h)) (sum_k rho_c,k D1_k + rho_c,p (D(x_p) - D_0))   (UniC)
 * The rho solve Vandermonde systems in the r_k (with r = 1 for the new point) against b; order 2's
 * predictor and order 1's corrector take 1/2. D(x_p; sigma_next) is the next step's D_0, so the
 * corrector costs no call; the last step has none. The order ramps up as 1, 2, 3 and falls back
 * to 2, 1 on the last two steps (diff-sampler's lower_order_final); a step to 0 returns D_0.
 * diff-sampler's dynamic thresholding of the predictions is left out: it is a pixel-range clamp,
 * not part of the solver. Unlike it, a run of 1 or 2 steps skips the last corrector too, so NFE
 * is N for every N.
 */
async function sampleUnipc<V>(run: SolverRun<V>): Promise<V> {
  const { sigmas } = run;
  const n = run.steps;
  let x = run.x;
  const first = await run.denoiseStart(x, sigmas[0], 0);
  // Newest last; at most MAX_ORDER kept.
  const past: Past<V>[] = [{ denoised: await run.keep(first), logSigma: Math.log(sigmas[0]) }];
  run.free(first);
  for (let i = 0; i < n; i++) {
    const sigma = sigmas[i];
    const sigmaNext = sigmas[i + 1];
    const d0 = past[past.length - 1].denoised;
    await run.report(i, sigma, sigmaNext, x, d0);
    if (sigmaNext === 0) {
      x = await run.combine([[1, d0]], [x]);
      break;
    }
    const order = i + 1 < MAX_ORDER ? i + 1 : Math.min(MAX_ORDER, n - i);
    const h = Math.log(sigma) - Math.log(sigmaNext);
    const phi = -Math.expm1(-h);
    const older = past.slice(past.length - order, past.length - 1).reverse();
    const rks = older.map((p) => (p.logSigma - Math.log(sigma)) / -h);
    const b = orderConditions(h, order);
    const vandermonde = (p: number) =>
      Array.from({ length: p }, (_, row) => [...rks, 1].slice(0, p).map((r) => r ** row));
    // phi sum_k rho_k D1_k with D1_k = (D_k - D_0) / r_k, as weights on D_k (D_0 takes minus
    // their sum), so each update is one combination of at most five vectors.
    const weights = (rho: readonly number[]) => older.map((_, k) => (phi * rho[k]) / rks[k]);
    const sum = (w: readonly number[]) => w.reduce((a, v) => a + v, 0);
    const rhoP =
      order === 1 ? [] : order === 2 ? [0.5] : solve(vandermonde(order - 1), b.slice(0, -1));
    const wP = weights(rhoP);
    const last = i === n - 1;
    const predicted = await run.combine(
      [
        [sigmaNext / sigma, x],
        [phi - sum(wP), d0],
        ...older.map((p, k) => [wP[k], p.denoised] as [number, V]),
      ],
      last ? [x] : [],
    );
    if (last) {
      x = predicted;
      break;
    }
    const fresh = await run.denoise(predicted, sigmaNext, i);
    run.free(predicted);
    const dNew = await run.keep(fresh);
    run.free(fresh);
    const rhoC = order === 1 ? [0.5] : solve(vandermonde(order), b);
    const rhoNew = rhoC[order - 1];
    const wC = weights(rhoC);
    x = await run.combine(
      [
        [sigmaNext / sigma, x],
        [phi - sum(wC) - phi * rhoNew, d0],
        ...older.map((p, k) => [wC[k], p.denoised] as [number, V]),
        [phi * rhoNew, dNew],
      ],
      [x],
    );
    past.push({ denoised: dNew, logSigma: Math.log(sigmaNext) });
    if (past.length > MAX_ORDER) run.free(past.shift()!.denoised);
  }
  run.free(...past.map((p) => p.denoised));
  return x;
}

export const unipc: SolverDef = {
  run: sampleUnipc,
  label: 'UniPC (bh2, order 3)',
  calls: oneCallPerStep,
  stochastic: false,
  afs: true,
  churn: false,
  order: MAX_ORDER,
  reference: "zju-pi/diff-sampler unipc_sampler (variant 'bh2', max_order 3)",
};
