import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, op } from '../../graph';
import { serialize } from '../../graph/serialize';
import { loadModelNode } from '../../runtime/node';
import { importModel } from './import';
import { DEFAULT_NAMES } from './interface';
import {
  alphasCumprod,
  betasOf,
  discreteSigmas,
  sigmaToT,
  tToSigma,
  type BetaSchedule,
} from './schedule';
import { parseSchedulerConfig } from './scheduler-config';

const sigmasOf = (s: BetaSchedule) => discreteSigmas(alphasCumprod(betasOf(s)));
const DDPM: BetaSchedule = {
  type: 'linear',
  betaStart: 0.0001,
  betaEnd: 0.02,
  numTrainTimesteps: 1000,
};
const SD: BetaSchedule = {
  type: 'scaled_linear',
  betaStart: 0.00085,
  betaEnd: 0.012,
  numTrainTimesteps: 1000,
};
const COSINE: BetaSchedule = {
  type: 'squaredcos_cap_v2',
  betaStart: 0,
  betaEnd: 0,
  numTrainTimesteps: 1000,
};

/** Log-uniform noise levels across a table's range, ends included. */
const levels = (sigmas: readonly number[], n: number) =>
  Array.from({ length: n }, (_, i) =>
    Math.exp(
      Math.log(sigmas[0]!) + ((Math.log(sigmas.at(-1)!) - Math.log(sigmas[0]!)) * i) / (n - 1),
    ),
  );

describe('discrete schedules and the sigma <-> t map', () => {
  it("matches the known ends of Stable Diffusion's and DDPM's schedules", () => {
    // The values k-diffusion prints for Stable Diffusion's DiscreteEpsDDPMDenoiser.
    const sd = sigmasOf(SD);
    expect(sd[0]).toBeCloseTo(0.0292, 4);
    expect(sd.at(-1)).toBeCloseTo(14.6146, 3);
    const ddpm = sigmasOf(DDPM);
    expect(ddpm[0]).toBeCloseTo(Math.sqrt(1e-4 / (1 - 1e-4)), 12);
    expect(ddpm.at(-1)).toBeGreaterThan(150);
    for (const s of [sd, ddpm, sigmasOf(COSINE)])
      for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });

  it.each([
    ['linear', DDPM],
    ['scaled_linear', SD],
    ['squaredcos_cap_v2', COSINE],
  ] as const)('round-trips sigma -> t -> sigma on %s', (_, schedule) => {
    const sigmas = sigmasOf(schedule);
    sigmas.forEach((s, i) => expect(sigmaToT(sigmas, s)).toBeCloseTo(i, 9));
    for (const sigma of levels(sigmas, 777)) {
      const t = sigmaToT(sigmas, sigma);
      expect(tToSigma(sigmas, t) / sigma).toBeCloseTo(1, 12);
      const nearest = sigmaToT(sigmas, sigma, true);
      expect(Number.isInteger(nearest)).toBe(true);
      // Nearest in log sigma: no other trained level is closer.
      const dist = (k: number) => Math.abs(Math.log(sigmas[k]!) - Math.log(sigma));
      expect(dist(nearest)).toBeLessThanOrEqual(
        Math.min(dist(nearest - 1) || 9, dist(nearest + 1) || 9),
      );
    }
    // Outside the table the timestep clamps to its ends.
    expect(sigmaToT(sigmas, sigmas[0]! / 2)).toBe(0);
    expect(sigmaToT(sigmas, sigmas.at(-1)! * 2)).toBe(sigmas.length - 1);
  });

  it('reads a diffusers scheduler config and names a bad key', () => {
    const ddpm = parseSchedulerConfig(
      JSON.stringify({
        _class_name: 'DDPMScheduler',
        beta_end: 0.02,
        beta_schedule: 'linear',
        beta_start: 0.0001,
        clip_sample: true,
        num_train_timesteps: 1000,
        trained_betas: null,
        variance_type: 'fixed_large',
      }),
    );
    expect(ddpm).toEqual({ schedule: DDPM, prediction: null });
    expect(() => parseSchedulerConfig('{"beta_schedule": "sigmoid"}')).toThrow(/beta_schedule/);
    expect(() => parseSchedulerConfig('{"prediction_type": "flow"}')).toThrow(/prediction_type/);
    expect(() => parseSchedulerConfig('{"rescale_betas_zero_snr": true}')).toThrow(
      /rescale_betas_zero_snr/,
    );
  });
});

/**
 * A network that answers its own timestep: out_sample = timestep at every pixel. Imported as a
 * "sample" predictor, the denoiser then returns the timestep the wrapper computed for sigma.
 */
function echoNetwork(dtype: 'int64' | 'float32'): Uint8Array {
  const g = new Graph();
  const x = g.input(DEFAULT_NAMES.sample, [1, 1, 2, 2]);
  const t = op.cast(g.input(DEFAULT_NAMES.timestep, [1], dtype), 'float32');
  const out = op.add(op.mul(x, 0), op.reshape(t, [1, 1, 1, 1]));
  return serialize(g, { outputs: { [DEFAULT_NAMES.output]: out }, dynamicBatch: 'batch' }).model;
}

describe('the wrapper graph computes the timestep as the table says', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'qac-import-t-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(['float32', 'int64'] as const)('%s timestep input', async (dtype) => {
    const onnx = join(root, `echo-${dtype}.onnx`);
    await writeFile(onnx, echoNetwork(dtype));
    const out = join(root, `echo-${dtype}`);
    await importModel({ onnx, out, betaSchedule: 'linear', prediction: 'sample' });
    const model = await loadModelNode(out);
    const sigmas = sigmasOf(DDPM);
    const probe = levels(sigmas, 101);
    try {
      const batch = probe.length;
      const got = await model.denoise(new Float32Array(batch * 4), Float32Array.from(probe), batch);
      let worst = 0;
      probe.forEach((sigma, k) => {
        const t = got[k * 4]!;
        if (dtype === 'int64') expect(t).toBe(sigmaToT(sigmas, sigma, true));
        else {
          worst = Math.max(worst, Math.abs(t - sigmaToT(sigmas, sigma)));
          // And back: the graph's t names the same noise level.
          expect(tToSigma(sigmas, t) / sigma).toBeCloseTo(1, 3);
        }
      });
      // float32 log sigma over gaps of ~0.005 near t = 999: a few thousandths of a timestep.
      expect(worst).toBeLessThan(5e-3);
    } finally {
      await model.dispose();
    }
  });
});
