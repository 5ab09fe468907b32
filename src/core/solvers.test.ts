import { beforeAll, describe, expect, it } from 'vitest';
import { nfeForSteps } from './nfe';
import {
  counted,
  float64Ops,
  gaussianMoments,
  gaussianOracle,
  logLogSlope,
  mixtureDenoiser,
} from './oracles';
import { initialNoise, sampleSeeds } from './rng';
import { sample, sampleWith } from './sample';
import { karrasSigmas, vpFit, type GridEnd } from './schedule';
import { SOLVER_NAMES, SOLVERS } from './solvers';
import type { SolverName, StepInfo } from './types';

/*
 * Every registered solver against closed-form oracles, in float64 (float32 rounding of x ~ 80
 * would floor the errors of the high-order solvers near 1e-5).
 *
 * Order: Gaussian data N(mu, s^2) has an exact probability-flow ODE solution. On the Karras
 * grid (rho 7, 80 -> 0.002) ending at sigma_min the error is the solver's own discretisation
 * error, and the log-log slope over N = 64..512 is its order; on the grid ending at 0 the final
 * jump from sigma_min to 0 returns D(x; sigma_min), which misses x(0) by ~sigma_min^2 / (2 s^2)
 * relative (~1e-5), a floor the high-order solvers reach, so that column is printed, not tested.
 * Stochastic solvers have no path to compare; their weak error is measured instead: from the
 * exact marginal x_T ~ N(mu, s^2 + sigma_max^2) every exact sampler ends at N(mu, s^2 +
 * sigma_min^2), and gaussianMoments gives the output law in closed form, so the variance error
 * is exact (no Monte Carlo) and its slope over N = 128..1000 is the weak order.
 *
 * Tolerance: +-0.3 around the expected order, both ways. These runs are deterministic, so the
 * band need not absorb noise, and a wrong coefficient moves the slope out of it. Measured by
 * changing one thing in a copy of each solver (same N, same oracle):
 *   DPM++(3M) with k-diffusion's weight phi_3 on D2 instead of 2 phi_3: 1.85; one of its two D2
 *   weights changed alone: 1.11. UniPC with the corrector's weight on the new prediction x1.01:
 *   0.62. LMS with its oldest weight from the equal-step table (newest compensating): 1.74.
 *   iPNDM-v with its cubic term x1.05: 5.23 (the error constant shifts; hence the upper bound).
 *   DEIS with VP time off by 2% inside its weights: 0.02. DPM-Solver-2 with the midpoint moved
 *   off the log-midpoint: 1.03. DPM++(2M) SDE with 1/(1.8 r) for 1/(2 r): 1.18. DPM++(3M) SDE
 *   with noise sqrt(1 - e^(-2.02 h)): 0.00. diff-sampler's printed iPNDM-v weights (a float64
 *   transcription, N = 16..256): 0.86.
 */

const dim = 16;
const s = 0.5;
const mu = Float32Array.from({ length: dim }, (_, i) => 0.8 * Math.sin(i + 1));
const oracle = gaussianOracle(mu, s);
const xT = Float64Array.from(initialNoise([3], dim, 80));
const ODE_NS = [64, 128, 256, 512];
const WEAK_NS = [128, 256, 512, 1000];

/** The order each solver must show (SDEs: weak order of the output variance). */
const EXPECTED: Record<SolverName, number> = {
  // Fixed equal-step weights on a varying grid: second order (see convergence.test.ts).
  ipndm: 2,
  'ipndm-v': 4,
  heun: 2,
  euler: 1,
  ddim: 1,
  dpm2: 2,
  'dpmpp-2m': 2,
  'dpmpp-3m': 3,
  // UniP-3 with the UniC corrector: order p + 1 while the steps are not the low-order last two.
  unipc: 4,
  deis: 3,
  lms: 4,
  // The noise terms match the reverse SDE to second order in h at best.
  'edm-sde': 2,
  'euler-ancestral': 1,
  'dpmpp-2m-sde': 2,
  'dpmpp-3m-sde': 2,
};

const churnFor = (solver: SolverName) => (SOLVERS[solver].churn ? 10 : undefined);

async function pathError(solver: SolverName, steps: number, end: GridEnd): Promise<number> {
  const sigmas = karrasSigmas(steps, { end });
  const { x } = await sampleWith({
    solver,
    ops: float64Ops(dim),
    denoise: oracle.denoise64,
    sigmas,
    x: xT,
  });
  const k = Math.sqrt((s * s + sigmas[steps] ** 2) / (s * s + sigmas[0] ** 2));
  return x.reduce((m, v, j) => Math.max(m, Math.abs(v - (mu[j] + (xT[j] - mu[j]) * k))), 0);
}

async function varianceError(solver: SolverName, steps: number, end: GridEnd): Promise<number> {
  const sigmas = karrasSigmas(steps, { end });
  const g = gaussianMoments(0.3, s, steps + 1);
  const { x } = await sampleWith({
    solver,
    ops: g.ops,
    denoise: g.denoise,
    sigmas,
    x: g.start(0.3, Math.sqrt(s * s + 80 * 80)),
    churn: churnFor(solver),
  });
  return Math.abs(g.moments(x).variance - (s * s + sigmas[steps] ** 2));
}

interface Row {
  solver: SolverName;
  slope: number;
  slopeZero: number;
  errors: number[];
  ns: number[];
}
const rows = new Map<SolverName, Row>();

beforeAll(async () => {
  for (const solver of SOLVER_NAMES) {
    const stochastic = SOLVERS[solver].stochastic;
    const ns = stochastic ? WEAK_NS : ODE_NS;
    const measure = stochastic ? varianceError : pathError;
    const errors: number[] = [];
    const zero: number[] = [];
    for (const n of ns) {
      errors.push(await measure(solver, n, 'sigmaMin'));
      zero.push(await measure(solver, n, 'zero'));
    }
    rows.set(solver, {
      solver,
      slope: -logLogSlope(ns, errors),
      slopeZero: -logLogSlope(ns, zero),
      errors,
      ns,
    });
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(
    [
      'Convergence on the Gaussian oracle (Karras rho 7, sigma 80 -> 0.002, float64)',
      line(['solver', 'measured', 'slope (sigmaMin)', 'slope (zero)', 'expected', 'N', 'errors']),
      line(['---', '---', '---', '---', '---', '---', '---']),
      ...[...rows.values()].map((r) =>
        line([
          r.solver,
          SOLVERS[r.solver].stochastic ? 'weak (variance)' : 'path: max abs error',
          r.slope.toFixed(2),
          r.slopeZero.toFixed(2),
          String(EXPECTED[r.solver]),
          r.ns.join('/'),
          r.errors.map((e) => e.toExponential(2)).join(' '),
        ]),
      ),
    ].join('\n'),
  );
}, 120_000);

describe('convergence on the Gaussian oracle', () => {
  it.each(SOLVER_NAMES)('%s converges at its order', (solver) => {
    const r = rows.get(solver)!;
    expect(r.slope).toBeGreaterThan(EXPECTED[solver] - 0.3);
    expect(r.slope).toBeLessThan(EXPECTED[solver] + 0.3);
    // Each refinement must help (no cancellation posing as convergence).
    r.errors.slice(1).forEach((e, k) => expect(e).toBeLessThan(r.errors[k]));
  });

  it('the registry order agrees with the measured one for the ODE solvers', () => {
    for (const solver of SOLVER_NAMES.filter((n) => !SOLVERS[n].stochastic)) {
      // ipndm declares its equal-step order; unipc its configured order 3 (it measures 4).
      if (solver === 'ipndm' || solver === 'unipc') continue;
      expect(SOLVERS[solver].order).toBe(EXPECTED[solver]);
    }
  });
});

/** A denoiser whose slope d = (x - D) / sigma is slope(sigma) whatever x is. */
const fixedSlope = (slope: (sigma: number) => number) => (x: Float64Array, sigma: number) =>
  x.map((v) => v - sigma * slope(sigma));

/** The increments x_(i+1) - x_i of a float64 run. */
async function increments(
  solver: SolverName,
  denoise: (x: Float64Array, sigma: number) => Float64Array,
  sigmas: number[],
): Promise<number[]> {
  const xs: number[] = [];
  const { x } = await sampleWith({
    solver,
    ops: float64Ops(1),
    denoise,
    sigmas,
    x: new Float64Array([0.7]),
    onStep: (st: StepInfo<Float64Array>) => xs.push(st.x[0]),
  });
  xs.push(x[0]);
  return xs.slice(1).map((v, i) => v - xs[i]);
}

describe('multistep weights on an unequal grid', () => {
  /*
   * With a slope that does not depend on x, a multistep step integrates the interpolant of the
   * slope history exactly: Adams-Bashforth weights of order q are exact for polynomials of degree
   * q - 1 in their time variable, on any spacing. The Karras grid's steps differ by 10-40%
   * between neighbours, so equal-step weights fail this (iPNDM is the control).
   */
  const sigmas = karrasSigmas(10, { end: 'sigmaMin' });
  const cubic = (u: number) => 0.3 - 0.7 * u + 0.05 * u * u + 0.004 * u ** 3;
  const cubicIntegral = (a: number, b: number) =>
    0.3 * (b - a) -
    0.35 * (b * b - a * a) +
    (0.05 / 3) * (b ** 3 - a ** 3) +
    0.001 * (b ** 4 - a ** 4);

  it.each(['lms', 'ipndm-v'] as SolverName[])(
    '%s integrates a cubic slope in sigma exactly from step 3 on',
    async (solver) => {
      const dx = await increments(solver, fixedSlope(cubic), sigmas);
      for (let i = 3; i < 10; i++) {
        const exact = cubicIntegral(sigmas[i], sigmas[i + 1]);
        expect(Math.abs(dx[i] - exact)).toBeLessThan(1e-9 * (1 + Math.abs(exact)));
      }
    },
  );

  it('ipndm (equal-step weights) does not, which is what the test above can detect', async () => {
    const dx = await increments('ipndm', fixedSlope(cubic), sigmas);
    const worst = Math.max(
      ...[3, 4, 5, 6].map((i) => Math.abs(dx[i] - cubicIntegral(sigmas[i], sigmas[i + 1]))),
    );
    expect(worst).toBeGreaterThan(1e-3);
  });

  it('deis integrates a quadratic slope in VP time exactly from step 2 on', async () => {
    // VP time from the same fit as the time-uniform schedule, at EDM's range.
    const { betaD, betaMin } = vpFit(0.002, 80);
    const t = (sigma: number) =>
      (Math.sqrt(betaMin ** 2 + 2 * betaD * Math.log1p(sigma * sigma)) - betaMin) / betaD;
    const quadratic = (sigma: number) => 0.4 - 1.3 * t(sigma) + 0.9 * t(sigma) ** 2;
    // Reference: composite Simpson in sigma with 20,000 panels.
    const simpson = (f: (u: number) => number, a: number, b: number) => {
      const m = 20_000;
      const hh = (b - a) / m;
      let acc = f(a) + f(b);
      for (let k = 1; k < m; k++) acc += (k % 2 ? 4 : 2) * f(a + k * hh);
      return (acc * hh) / 3;
    };
    const dx = await increments('deis', fixedSlope(quadratic), sigmas);
    for (let i = 2; i < 10; i++) {
      const exact = simpson(quadratic, sigmas[i], sigmas[i + 1]);
      expect(Math.abs(dx[i] - exact)).toBeLessThan(1e-8 * (1 + Math.abs(exact)));
    }
  });

  /*
   * The data-prediction solvers integrate dx/dlambda = D - x, lambda = -ln(sigma), exactly when
   * D is a polynomial in lambda that their history interpolates: with D = q(lambda) fixed,
   * x_(i+1) = e^(-h) x_i + sum_n q_n-term integrals I_n = int_0^h e^(u - h) u^n du.
   */
  const quad = [0.2, -0.5, 0.15, 0.02];
  const poly = (c: readonly number[], u: number) => c.reduce((a, ck, k) => a + ck * u ** k, 0);
  const exactStep = (c: readonly number[], x: number, sigma: number, sigmaNext: number) => {
    const l0 = -Math.log(sigma);
    const h = Math.log(sigma) - Math.log(sigmaNext);
    // Taylor coefficients of q about l0, then I_n = h^n - n I_(n-1), I_0 = 1 - e^(-h).
    const shifted = c.map((_, n) =>
      c.reduce((a, ck, k) => (k >= n ? a + ck * binom(k, n) * l0 ** (k - n) : a), 0),
    );
    let integral = -Math.expm1(-h);
    let acc = shifted[0] * integral;
    for (let n = 1; n < shifted.length; n++) {
      integral = h ** n - n * integral;
      acc += shifted[n] * integral;
    }
    return Math.exp(-h) * x + acc;
  };
  const binom = (k: number, n: number): number =>
    n === 0 ? 1 : (binom(k, n - 1) * (k - n + 1)) / n;

  it.each([
    ['dpmpp-3m', 2, 2, 10],
    ['unipc', 3, 2, 8],
  ] as [SolverName, number, number, number][])(
    '%s is exact for D of degree %i in lambda on steps %i..%i',
    async (solver, degree, from, to) => {
      const c = quad.slice(0, degree + 1);
      const denoise = (x: Float64Array, sigma: number) => x.map(() => poly(c, -Math.log(sigma)));
      const xs: number[] = [];
      const { x } = await sampleWith({
        solver,
        ops: float64Ops(1),
        denoise,
        sigmas,
        x: new Float64Array([0.7]),
        onStep: (st: StepInfo<Float64Array>) => xs.push(st.x[0]),
      });
      xs.push(x[0]);
      for (let i = from; i < to; i++) {
        const exact = exactStep(c, xs[i], sigmas[i], sigmas[i + 1]);
        expect(Math.abs(xs[i + 1] - exact)).toBeLessThan(1e-10);
      }
    },
  );
});

describe('same method, two derivations', () => {
  it.each(['sigmaMin', 'zero'] as GridEnd[])(
    'ddim equals euler to float64 rounding (%s grid, with and without AFS)',
    async (end) => {
      for (const afs of [false, true]) {
        for (const steps of [1, 3, 10]) {
          const opts = { ops: float64Ops(dim), denoise: oracle.denoise64, x: xT, afs };
          const sigmas = karrasSigmas(steps, { end });
          const a = await sampleWith({ ...opts, solver: 'ddim', sigmas });
          const b = await sampleWith({ ...opts, solver: 'euler', sigmas });
          b.x.forEach((v, j) => expect(Math.abs(a.x[j] - v)).toBeLessThan(1e-12 * (1 + 80)));
          expect(a.nfe).toBe(b.nfe);
        }
      }
    },
  );

  it('ddim equals euler in float32 on the mixture oracle, reports included', async () => {
    const denoise = mixtureDenoiser({ weights: [0.4, 0.6], means: [-0.6, 0.7], stds: [0.2, 0.3] });
    const x = initialNoise([5, 6], 12, 80);
    const reports: StepInfo[][] = [[], []];
    const [a, b] = await Promise.all(
      (['ddim', 'euler'] as SolverName[]).map((solver, k) =>
        sample({
          solver,
          denoise,
          sigmas: karrasSigmas(8),
          x,
          batch: 2,
          onStep: (st) => reports[k].push(st),
        }),
      ),
    );
    b.x.forEach((v, j) => expect(a.x[j]).toBeCloseTo(v, 4));
    reports[1].forEach((r, i) => {
      r.x.forEach((v, j) => expect(Math.abs(reports[0][i].x[j] - v)).toBeLessThan(1e-4));
      r.d.forEach((v, j) => expect(reports[0][i].d[j]).toBeCloseTo(v, 4));
    });
  });

  it('ipndm-v equals ipndm on equal steps (its weights reduce to the fixed table)', async () => {
    const sigmas = Array.from({ length: 12 }, (_, i) => 12 - i);
    const opts = { ops: float64Ops(dim), denoise: oracle.denoise64, x: xT, sigmas };
    const a = await sampleWith({ ...opts, solver: 'ipndm-v' });
    const b = await sampleWith({ ...opts, solver: 'ipndm' });
    b.x.forEach((v, j) => expect(Math.abs(a.x[j] - v)).toBeLessThan(1e-12 * (1 + Math.abs(v))));
  });

  it.each(['sigmaMin', 'zero'] as GridEnd[])(
    'ipndm-v (Newton divided differences) equals lms (Gauss-integrated Lagrange basis), %s grid',
    async (end) => {
      for (const steps of [2, 5, 17]) {
        const opts = { ops: float64Ops(dim), denoise: oracle.denoise64, x: xT };
        const sigmas = karrasSigmas(steps, { end });
        const a = await sampleWith({ ...opts, solver: 'ipndm-v', sigmas });
        const b = await sampleWith({ ...opts, solver: 'lms', sigmas });
        b.x.forEach((v, j) => expect(Math.abs(a.x[j] - v)).toBeLessThan(1e-10));
      }
    },
  );
});

describe('vector algebra', () => {
  it.each(SOLVER_NAMES)(
    '%s combines at most five vectors at once (cpuOps unrolls up to five)',
    async (solver) => {
      let most = 0;
      const inner = float64Ops(dim);
      const ops = {
        ...inner,
        lincomb: (c: readonly number[], v: readonly Float64Array[]) => {
          most = Math.max(most, v.length);
          return inner.lincomb(c, v);
        },
      };
      for (const end of ['zero', 'sigmaMin'] as GridEnd[]) {
        const sigmas = karrasSigmas(9, { end });
        const churn = churnFor(solver);
        await sampleWith({ solver, ops, denoise: oracle.denoise64, sigmas, x: xT, churn });
      }
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(5);
    },
  );
});

describe('NFE', () => {
  const denoise = mixtureDenoiser({ weights: [0.5, 0.5], means: [-0.7, 0.6], stds: [0.3, 0.3] });
  const x8 = initialNoise([1, 2], 4, 80);

  async function calls(solver: SolverName, sigmas: number[], afs: boolean) {
    const at: number[] = [];
    const c = counted((x: Float32Array, sigma: number) => {
      at.push(sigma);
      return denoise(x, sigma);
    });
    const r = await sample({
      solver,
      denoise: c.denoise,
      sigmas,
      x: x8,
      batch: 2,
      afs,
      churn: churnFor(solver),
    });
    return { nfe: r.nfe, counted: c.calls(), at };
  }

  it.each(SOLVER_NAMES)(
    '%s: reported NFE = denoiser calls = nfeForSteps on both grids; AFS saves the first',
    async (solver) => {
      for (const end of ['zero', 'sigmaMin'] as GridEnd[]) {
        for (const steps of [1, 2, 3, 4, 7]) {
          const sigmas = karrasSigmas(steps, { end });
          const plain = await calls(solver, sigmas, false);
          expect(plain.nfe).toBe(plain.counted);
          expect(plain.nfe).toBe(nfeForSteps(solver, steps));
          // EDM's churn raises sigma before the first call; everyone else starts at sigma_max.
          if (!SOLVERS[solver].churn) expect(plain.at[0]).toBe(sigmas[0]);
          if (!SOLVERS[solver].afs) continue;
          const afs = await calls(solver, sigmas, true);
          expect(afs.nfe).toBe(afs.counted);
          expect(afs.nfe).toBe(nfeForSteps(solver, steps, true));
          // Same grid: the same calls less the one at (x_T, sigma_max).
          expect(afs.at).toEqual(plain.at.slice(1));
        }
      }
    },
  );

  it.each(SOLVER_NAMES.filter((n) => SOLVERS[n].stochastic))('%s refuses AFS', async (solver) => {
    await expect(
      sample({ solver, denoise, sigmas: karrasSigmas(4), x: x8, batch: 2, afs: true }),
    ).rejects.toThrow(/AFS applies only to deterministic/);
  });
});

describe('stochastic solvers', () => {
  const stochastic = SOLVER_NAMES.filter((n) => SOLVERS[n].stochastic);

  it.each(stochastic)(
    '%s: exact output law at N = 200 is N(mu, s^2 + sigma_min^2), one draw per noisy step',
    async (solver) => {
      for (const end of ['sigmaMin', 'zero'] as GridEnd[]) {
        const steps = 200;
        const sigmas = karrasSigmas(steps, { end });
        const g = gaussianMoments(0.3, s, steps + 1);
        const { x } = await sampleWith({
          solver,
          ops: g.ops,
          denoise: g.denoise,
          sigmas,
          x: g.start(0.3, Math.sqrt(s * s + 80 * 80)),
          churn: churnFor(solver),
        });
        const { mean, variance } = g.moments(x);
        expect(Math.abs(mean - 0.3)).toBeLessThan(1e-12);
        // The weak errors at N = 200 are below 0.015 for first order (the slope table); s^2 = 0.25.
        expect(Math.abs(variance - (s * s + sigmas[steps] ** 2))).toBeLessThan(0.02);
        // Fresh noise on every step: before it with churn, after it unless it lands on 0.
        const noisy = SOLVERS[solver].churn || end === 'sigmaMin' ? steps : steps - 1;
        expect(g.draws()).toBe(noisy);
      }
    },
  );

  it.each(stochastic)(
    '%s: Monte Carlo mean and variance of real draws match the exact law of the run',
    async (solver) => {
      /*
       * 200 samples x 100 values from x_T = 80 n, against the closed-form law of the same
       * discrete run (gaussianMoments from N(0, 80^2)): only sampling error remains. Standard
       * errors over 20,000 draws: mean sqrt(var / n) ~ 0.0035, variance var sqrt(2 / n) ~ 0.0025;
       * 5 of them allowed. A noise term of the wrong size or reused across steps or samples
       * shows as a variance off by far more.
       */
      const batch = 200;
      const size = 100;
      const steps = 30;
      const sigmas = karrasSigmas(steps);
      const seeds = sampleSeeds(batch, 300);
      const { x } = await sample({
        solver,
        denoise: gaussianOracle(new Float32Array([0.3]), s).denoise,
        sigmas,
        x: initialNoise(seeds, size, 80),
        batch,
        seed: 300,
        churn: churnFor(solver),
      });
      const g = gaussianMoments(0.3, s, steps + 1);
      const law = g.moments(
        (
          await sampleWith({
            solver,
            ops: g.ops,
            denoise: g.denoise,
            sigmas,
            x: g.start(0, 80),
            churn: churnFor(solver),
          })
        ).x,
      );
      const n = x.length;
      const mean = x.reduce((a, v) => a + v, 0) / n;
      const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
      expect(Math.abs(mean - law.mean)).toBeLessThan(5 * Math.sqrt(law.variance / n));
      expect(Math.abs(variance - law.variance)).toBeLessThan(5 * law.variance * Math.sqrt(2 / n));
    },
  );
});
