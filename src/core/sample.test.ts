import { describe, expect, it } from 'vitest';
import { initialNoise, sampleSeeds } from './rng';
import { sample } from './sample';
import { karrasSigmas } from './schedule';
import { SOLVER_NAMES, SOLVERS } from './solvers';
import { achievableNfes, nfeForSteps, stepsForNfe } from './nfe';
import { counted, gaussianOracle, mixtureDenoiser } from './oracles';
import type { SolverName, StepInfo } from './types';

const denoise = mixtureDenoiser({ weights: [0.5, 0.5], means: [-0.7, 0.6], stds: [0.3, 0.3] });
const x8 = initialNoise([1, 2], 4, 80);

describe('NFE accounting', () => {
  const cases: [SolverName, boolean][] = SOLVER_NAMES.flatMap((s) =>
    SOLVERS[s].afs
      ? [
          [s, false],
          [s, true],
        ]
      : [[s, false]],
  ) as [SolverName, boolean][];
  it.each(cases)('%s (afs %s): nfe equals denoiser calls and the helper', async (solver, afs) => {
    for (const end of ['zero', 'sigmaMin'] as const) {
      for (const steps of [1, 2, 5]) {
        const c = counted(denoise);
        const r = await sample({
          solver,
          denoise: c.denoise,
          sigmas: karrasSigmas(steps, { end }),
          x: x8,
          batch: 2,
          afs,
          churn: SOLVERS[solver].churn ? 10 : undefined,
        });
        expect(r.nfe).toBe(c.calls());
        expect(r.nfe).toBe(nfeForSteps(solver, steps, afs));
      }
    }
  });

  it('AFS saves exactly one call', () => {
    for (const solver of SOLVER_NAMES.filter((s) => SOLVERS[s].afs)) {
      expect(nfeForSteps(solver, 6, true)).toBe(nfeForSteps(solver, 6) - 1);
    }
  });

  it('maps NFE to steps and names the NFEs a solver can hit', () => {
    expect(stepsForNfe('euler', 6)).toBe(6);
    expect(stepsForNfe('ipndm', 6, true)).toBe(7);
    expect(stepsForNfe('heun', 5)).toBe(3);
    expect(stepsForNfe('heun', 6, true)).toBe(4);
    expect(() => stepsForNfe('heun', 6)).toThrow(
      /heun cannot spend exactly 6 NFE; nearest: 5 or 7/,
    );
    expect(() => stepsForNfe('edm-sde', 4, true)).toThrow(/AFS applies only to deterministic/);
    expect(achievableNfes('heun', false, 9)).toEqual([1, 3, 5, 7, 9]);
    expect(achievableNfes('heun', true, 8)).toEqual([2, 4, 6, 8]);
    expect(achievableNfes('ipndm', true, 4)).toEqual([1, 2, 3, 4]);
    for (const s of SOLVER_NAMES) {
      for (const n of achievableNfes(s, false, 12))
        expect(nfeForSteps(s, stepsForNfe(s, n))).toBe(n);
    }
  });
});

describe('edm-sde', () => {
  const sigmas = karrasSigmas(12);
  it('with churn 0 equals heun exactly', async () => {
    const a = await sample({ solver: 'heun', denoise, sigmas, x: x8, batch: 2 });
    const b = await sample({ solver: 'edm-sde', denoise, sigmas, x: x8, batch: 2, churn: 0 });
    expect(b.x).toEqual(a.x);
    expect(b.nfe).toBe(a.nfe);
  });
  it('churns only inside [sTmin, sTmax]', async () => {
    const heun = await sample({ solver: 'heun', denoise, sigmas, x: x8, batch: 2 });
    const outside = await sample({
      solver: 'edm-sde',
      denoise,
      sigmas,
      x: x8,
      batch: 2,
      churn: 30,
      sTmax: 1e-4,
    });
    expect(outside.x).toEqual(heun.x);
    const inside = await sample({ solver: 'edm-sde', denoise, sigmas, x: x8, batch: 2, churn: 30 });
    expect(inside.x).not.toEqual(heun.x);
  });
});

describe('per-sample seeds', () => {
  it.each(SOLVER_NAMES.filter((s) => SOLVERS[s].stochastic))(
    '%s: sample k of a batch equals the batch-1 run with seed + k',
    async (solver) => {
      const size = 5;
      const seeds = sampleSeeds(3, 40);
      const sigmas = karrasSigmas(8);
      const churn = SOLVERS[solver].churn ? 20 : undefined;
      const xT = initialNoise(seeds, size, 80);
      const all = await sample({ solver, denoise, sigmas, x: xT, batch: 3, seed: 40, churn });
      for (let k = 0; k < 3; k++) {
        const one = await sample({
          solver,
          denoise,
          sigmas,
          x: initialNoise([40 + k], size, 80),
          seed: 40 + k,
          churn,
        });
        expect(all.x.subarray(k * size, (k + 1) * size)).toEqual(one.x);
      }
      const other = await sample({ solver, denoise, sigmas, x: xT, batch: 3, seed: 41, churn });
      expect(other.x).not.toEqual(all.x);
    },
  );
});

describe('step reports', () => {
  it('report every step with d = (x - denoised) / sigma and AFS denoised at step 0', async () => {
    const steps: StepInfo[] = [];
    const sigmas = karrasSigmas(5);
    const oracle = gaussianOracle(new Float32Array([0.2, -0.1, 0.4, 0]), 0.5);
    const { x } = await sample({
      solver: 'heun',
      denoise: oracle.denoise,
      sigmas,
      x: x8,
      batch: 2,
      afs: true,
      onStep: (s) => steps.push(s),
    });
    expect(steps.map((s) => s.i)).toEqual([0, 1, 2, 3, 4]);
    expect(steps.map((s) => s.sigma)).toEqual(sigmas.slice(0, 5));
    expect(steps.map((s) => s.sigmaNext)).toEqual(sigmas.slice(1));
    expect(steps[0].x).toEqual(x8);
    const c = 0.25 / (80 * 80 + 0.25);
    steps[0].denoised.forEach((v, j) => expect(v).toBeCloseTo(c * x8[j], 6));
    for (const s of steps) {
      s.d.forEach((v, j) => expect(v).toBeCloseTo((s.x[j] - s.denoised[j]) / s.sigma, 4));
    }
    expect(steps[4].x).not.toEqual(x);
  });
});

describe('bad input', () => {
  const base = { solver: 'euler' as SolverName, denoise, sigmas: karrasSigmas(4), x: x8 };
  it('rejects sigma lists that are not decreasing', async () => {
    await expect(sample({ ...base, sigmas: [1, 2, 0] })).rejects.toThrow(/strictly decreasing/);
  });
  it('rejects sigma lists over 1000 steps', async () => {
    const sigmas = [...Array.from({ length: 1001 }, (_, i) => 80 - i * 0.05), 0];
    await expect(sample({ ...base, sigmas })).rejects.toThrow(/1001 steps, at most 1000/);
  });
  it('stops on NaN from the denoiser, naming the step', async () => {
    let calls = 0;
    const bad = (x: Float32Array) => {
      calls++;
      const out = new Float32Array(x.length);
      if (calls === 4) out[3] = Number.NaN;
      return out;
    };
    await expect(sample({ ...base, solver: 'heun', denoise: bad })).rejects.toThrow(
      /denoiser returned NaN at step 1 .*value index 3/,
    );
  });
  it('rejects batch mismatches', async () => {
    await expect(sample({ ...base, batch: 3 })).rejects.toThrow(/not a multiple of batch 3/);
    await expect(sample({ ...base, batch: 2, seeds: [1] })).rejects.toThrow(/seeds has 1 entries/);
    const short = () => new Float32Array(3);
    await expect(sample({ ...base, denoise: short })).rejects.toThrow(
      /denoiser returned 3 values at step 0, expected 8/,
    );
  });
  it('rejects unknown solvers, misplaced options and non-finite input', async () => {
    await expect(sample({ ...base, solver: 'rk45' as SolverName })).rejects.toThrow(
      /unknown solver/,
    );
    await expect(sample({ ...base, solver: 'euler-ancestral', afs: true })).rejects.toThrow(
      /AFS applies only to deterministic/,
    );
    await expect(sample({ ...base, churn: 5 })).rejects.toThrow(/churn applies only to 'edm-sde'/);
    await expect(sample({ ...base, x: new Float32Array([Number.NaN]) })).rejects.toThrow(/x\[0\]/);
  });
  it('leaves the caller x untouched', async () => {
    const copy = x8.slice();
    await sample(base);
    expect(x8).toEqual(copy);
  });
});
