import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { achievableNfes, samplePlan, SOLVER_NAMES, solverFacts, type SolverName } from '../../core';
import { checkOnnx, onnxCheckerMissing } from '../../graph/onnx-checker.testkit';
import { loadModelNode } from '../../runtime/node';
import { planFor, sampleModel } from '../../runtime/sample';
import { importModel, type ImportOptions } from './import';
import { exactMoments, oracleModel, type OracleSpec } from './oracle.testkit';
import { alphasCumprod, betasOf, discreteSigmas, type BetaSchedule } from './schedule';

/**
 * Each prediction type through `importModel` and every solver, on networks whose predictions are
 * exact for Gaussian data N(mu, s^2) (oracle.testkit.ts): the samples' mean and standard deviation
 * must match the exact ODE's within what the sample count allows.
 */
const IMAGE = { channels: 1, height: 8, width: 8 };
const BATCH = 256;
/** Values per run: pixels are independent, so each is one draw. */
const N = BATCH * IMAGE.channels * IMAGE.height * IMAGE.width;
/** Standard errors a run may stray: 4.5 sigma over 15 solvers x 5 cases keeps false alarms < 1e-3. */
const Z = 4.5;

interface Case {
  readonly label: string;
  readonly schedule: BetaSchedule | null;
  readonly oracle: Omit<OracleSpec, 'sigmas' | keyof typeof IMAGE>;
  readonly flags: Partial<ImportOptions>;
  /** How far the imported model's samples may stray from the exact denoiser's (same run). */
  readonly pathTolerance: number;
  /** The network's value range, when not [-1, 1]. */
  readonly range?: readonly [number, number];
}

/** Float timesteps: the wrapper evaluates the network at exactly sigma, so float32 rounding only. */
const FLOAT_PATH = 1e-5;
/**
 * int64 timesteps: the network sees the nearest trained timestep's noise level instead of sigma
 * (up to half a log-sigma gap away), which moves a sample by 5-7e-3 here at worst.
 */
const NEAREST_PATH = 1.5e-2;
/**
 * The same rounding's effect on the spread at NFE 200, beyond sampling noise: the multistep
 * solvers with a slope history over a non-uniform grid (ipndm-v, lms) meet several steps per
 * trained timestep near sigma_min, measured at 9.3e-3 on the DDPM case (others <= 5e-3).
 */
const NEAREST_MOMENTS = 5e-3;

const linear: BetaSchedule = {
  type: 'linear',
  betaStart: 0.0001,
  betaEnd: 0.02,
  numTrainTimesteps: 1000,
};

const CASES: Case[] = [
  {
    label: 'epsilon, linear (DDPM), int64 timesteps',
    pathTolerance: NEAREST_PATH,
    schedule: linear,
    oracle: { prediction: 'epsilon', mu: 0.3, s: 0.4, timestep: 'int64', sigmaData: 0.5 },
    flags: { betaSchedule: 'linear', betaStart: 0.0001, betaEnd: 0.02, numTrainTimesteps: 1000 },
  },
  {
    label: 'epsilon, linear, float timesteps, values in [0, 1]',
    pathTolerance: FLOAT_PATH,
    schedule: linear,
    oracle: { prediction: 'epsilon', mu: 0.6, s: 0.15, timestep: 'float32', sigmaData: 0.5 },
    flags: { betaSchedule: 'linear', valueRange: [0, 1] },
    range: [0, 1],
  },
  {
    label: 'v_prediction, scaled_linear, float timesteps',
    pathTolerance: FLOAT_PATH,
    schedule: {
      type: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      numTrainTimesteps: 1000,
    },
    oracle: { prediction: 'v_prediction', mu: -0.2, s: 0.5, timestep: 'float32', sigmaData: 0.5 },
    flags: {
      betaSchedule: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      prediction: 'v_prediction',
    },
  },
  {
    label: 'sample, squaredcos_cap_v2, int64 timesteps',
    pathTolerance: NEAREST_PATH,
    schedule: { type: 'squaredcos_cap_v2', betaStart: 0, betaEnd: 0, numTrainTimesteps: 1000 },
    oracle: { prediction: 'sample', mu: 0.1, s: 0.3, timestep: 'int64', sigmaData: 0.5 },
    flags: { betaSchedule: 'squaredcos_cap_v2', prediction: 'sample' },
  },
  {
    label: 'edm, sigma_data 0.5',
    pathTolerance: FLOAT_PATH,
    schedule: null,
    oracle: { prediction: 'edm', mu: -0.25, s: 0.45, timestep: 'float32', sigmaData: 0.5 },
    flags: { prediction: 'edm', sigmaData: 0.5 },
  },
];

/** The smallest NFE of at least `min` that the solver spends exactly. */
const nfeFor = (solver: SolverName, min: number) =>
  achievableNfes(solver, false, 2 * min + 2).find((n) => n >= min)!;

/**
 * NFE for the moments check: high enough that each solver's discretisation error (up to ~50% of
 * the spread at NFE 20 for a narrow Gaussian under sigma_max 1e4, 2% for Euler ancestral at 200)
 * falls below the statistical tolerance, so what is left is sampling noise and any error of the
 * import itself. First-order solvers need five times the calls.
 */
const momentsNfe = (solver: SolverName) =>
  nfeFor(solver, solverFacts(solver).order >= 2 ? 200 : 1000);

function moments(x: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / (x.length - 1)) };
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toExponential(1)}`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-import-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe.each(CASES)('import of a Gaussian oracle: $label', (c) => {
  let dir: string;
  let sigmaMax: number;
  const [lo, hi] = c.range ?? [-1, 1];
  const half = (hi - lo) / 2;
  // The data in our [-1, 1] units.
  const mu = (c.oracle.mu - (hi + lo) / 2) / half;
  const s = c.oracle.s / half;

  beforeAll(async () => {
    const sigmas = c.schedule ? discreteSigmas(alphasCumprod(betasOf(c.schedule))) : [];
    const onnx = join(root, `${c.oracle.prediction}-${c.oracle.timestep}-${lo}.onnx`);
    await writeFile(onnx, oracleModel({ ...c.oracle, ...IMAGE, sigmas }));
    dir = join(root, `model-${c.oracle.prediction}-${c.oracle.timestep}-${lo}`);
    const res = await importModel({ onnx, out: dir, ...c.flags });
    sigmaMax = res.manifest.sigmaMax;
    expect(res.manifest.kind).toBe('baseline');
    expect(res.manifest.source?.parameterisation.prediction).toBe(c.oracle.prediction);
    if (c.schedule) {
      expect(res.manifest.sigmaMin).toBeCloseTo(sigmas[0]! / half, 12);
      expect(res.manifest.sigmaMax).toBeCloseTo(sigmas.at(-1)! / half, 6);
    }
  });

  it('writes a denoiser.onnx that passes onnx.checker', async (ctx) => {
    const missing = onnxCheckerMissing();
    if (missing) {
      console.warn(`skipped: ${missing}`);
      ctx.skip();
    }
    expect(checkOnnx({ denoiser: await readFile(join(dir, 'denoiser.onnx')) })).toBe('ok');
  });

  it("gives the exact Gaussian denoiser's samples with every solver at NFE 20", async () => {
    const model = await loadModelNode(dir);
    // D(x; sigma) of N(mu, s^2) in closed form, the same for every pixel.
    const analytic = async (x: Float32Array, sigma: number) =>
      Float32Array.from(x, (v) => mu + ((v - mu) * s * s) / (s * s + sigma * sigma));
    const rows: string[] = [];
    let worst = 0;
    try {
      for (const solver of SOLVER_NAMES) {
        const nfe = nfeFor(solver, 20);
        const settings = { solver, nfe, batch: BATCH, seed: 1 };
        const got = await sampleModel(model, settings);
        const plan = planFor(model, { ...settings, afs: false, gridEnd: 'zero', code: null });
        const want = await samplePlan(plan, { denoise: analytic });
        let diff = 0;
        for (let i = 0; i < want.x.length; i++)
          diff = Math.max(diff, Math.abs(got.x[i]! - want.x[i]!));
        worst = Math.max(worst, diff);
        rows.push(
          `${solver.padEnd(16)} nfe ${nfe}  max |imported - exact D| ${diff.toExponential(1)}`,
        );
        expect.soft(diff, solver).toBeLessThan(c.pathTolerance);
      }
    } finally {
      await model.dispose();
      console.log(`${c.label}: pathwise, worst ${worst.toExponential(2)}\n  ${rows.join('\n  ')}`);
    }
  }, 300_000);

  it('samples N(mu, s^2) with every solver at NFE 200 (order >= 2) or 1000 (order 1)', async () => {
    const model = await loadModelNode(dir);
    const exact = exactMoments(mu, s, sigmaMax);
    const rounding = c.oracle.timestep === 'int64' ? NEAREST_MOMENTS : 0;
    const tolMean = (Z * exact.std) / Math.sqrt(N) + rounding;
    const tolStd = (Z * exact.std) / Math.sqrt(2 * N) + rounding;
    const rows: string[] = [];
    try {
      for (const solver of SOLVER_NAMES) {
        const nfe = momentsNfe(solver);
        const got = moments((await sampleModel(model, { solver, nfe, batch: BATCH, seed: 1 })).x);
        const dm = got.mean - exact.mean;
        const ds = got.std - exact.std;
        rows.push(
          `${solver.padEnd(16)} nfe ${nfe}  mean ${got.mean.toFixed(4)} (${signed(dm)})  std ${got.std.toFixed(4)} (${signed(ds)})${solverFacts(solver).stochastic ? '  stochastic' : ''}`,
        );
        expect.soft(Math.abs(dm), `${solver} mean`).toBeLessThan(tolMean);
        expect.soft(Math.abs(ds), `${solver} std`).toBeLessThan(tolStd);
      }
    } finally {
      await model.dispose();
      console.log(
        `${c.label}: exact mean ${exact.mean.toFixed(4)} std ${exact.std.toFixed(4)}, tolerance ${tolMean.toExponential(1)} / ${tolStd.toExponential(1)}\n  ${rows.join('\n  ')}`,
      );
    }
  }, 600_000);
});
