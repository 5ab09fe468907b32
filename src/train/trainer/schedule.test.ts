import { describe, expect, it } from 'vitest';
import { presetFor } from '../model';
import { decodeRunState, encodeRunState } from './checkpoint-state';
import { DEFAULT_TRAIN, checkTrainConfig, type TrainConfig } from './config';
import { emaDecay, learningRate } from './schedule';

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_TRAIN,
  dataset: 'mnist',
  mode: 'baseline',
  preset: 'tiny',
  model: presetFor('tiny'),
  lr: 1e-3,
  warmupSteps: 10,
  steps: 1000,
  lrDecaySteps: 1000,
  ...over,
});

describe('learning-rate schedules', () => {
  it('warm up linearly, then hold, decay by a half cosine, or by an inverse square root', () => {
    const constant = config({ lrSchedule: 'constant' });
    expect(learningRate(constant, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRate(constant, 9)).toBeCloseTo(1e-3, 12);
    expect(learningRate(constant, 999)).toBeCloseTo(1e-3, 12);

    const cosine = config({ lrSchedule: 'cosine' });
    expect(learningRate(cosine, 500)).toBeCloseTo(0.5e-3, 12);
    expect(learningRate(cosine, 250)).toBeCloseTo(0.5e-3 * (1 + Math.SQRT1_2), 12);
    // The last planned step still updates; past the planned end the rate stays at zero.
    expect(learningRate(cosine, 999)).toBeGreaterThan(0);
    expect(learningRate(cosine, 999)).toBeLessThan(1e-8);
    expect(learningRate(cosine, 1500)).toBe(0);

    const rsqrt = config({ lrSchedule: 'rsqrt', lrDecaySteps: 100 });
    expect(learningRate(rsqrt, 100)).toBeCloseTo(1e-3, 12);
    expect(learningRate(rsqrt, 400)).toBeCloseTo(0.5e-3, 12);

    // Held for the first 80% of the planned steps, then down linearly to zero at the end.
    const wsd = config({ lrSchedule: 'wsd' });
    expect(learningRate(wsd, 800)).toBeCloseTo(1e-3, 12);
    expect(learningRate(wsd, 900)).toBeCloseTo(0.5e-3, 12);
    expect(learningRate(wsd, 1000)).toBe(0);
    expect(learningRate(wsd, 1200)).toBe(0);
  });

  it('refuses an unknown schedule and a decay length that is not a positive integer', () => {
    expect(() => checkTrainConfig(config({ lrSchedule: 'linear' as 'cosine' }))).toThrow(
      /lrSchedule "linear" is not one of constant, cosine, rsqrt, wsd/,
    );
    expect(() => checkTrainConfig(config({ lrDecaySteps: 0 }))).toThrow(/lrDecaySteps = 0/);
  });

  it('a checkpoint from before the schedules resumes at a constant rate', () => {
    const { lrSchedule: _s, lrDecaySteps: _d, ...legacy } = config({ lrSchedule: 'cosine' });
    const state = {
      step: 3,
      optimizer: new Map<string, Float32Array>(),
      ema: new Map<string, Float32Array>(),
      codeWeights: null,
      batchOrder: { epoch: 0, position: 24 },
      wallTimeSeconds: 1,
      lastLoss: 0.5,
    };
    const { meta, tensors } = encodeRunState(legacy as TrainConfig, state, new Map());
    const back = decodeRunState('old.ckpt', meta, tensors).config;
    expect(back.lrSchedule).toBe('constant');
    expect(back.lrDecaySteps).toBe(legacy.steps);
    expect(learningRate(back, 999)).toBeCloseTo(1e-3, 12);
  });
});

describe('EMA decay', () => {
  it("follows the half-life in images, capped by the ramp-up's share of images seen", () => {
    const c = config({ batch: 32, emaHalfLifeImages: 500_000, emaRampup: 0.05 });
    // 100k images seen: half-life 5,000 images, so 32 images decay by 0.5^(32/5000).
    expect(emaDecay(c, 100_000)).toBeCloseTo(0.5 ** (32 / 5000), 12);
    // 20M images seen: the 500k half-life binds.
    expect(emaDecay(c, 20_000_000)).toBeCloseTo(0.5 ** (32 / 500_000), 12);
    expect(emaDecay(c, 0)).toBe(0);
  });
});
