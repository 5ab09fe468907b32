import { describe, expect, it } from 'vitest';
import { DEFAULT_BROWSER_TRAIN } from './config';
import { lossChart, smoothed } from './loss-chart';
import { normalizeTrainOptions, TRAIN_LIMITS } from './options';

describe('normalizeTrainOptions', () => {
  it('clamps numbers to TRAIN_LIMITS and says so', () => {
    const { options, notices } = normalizeTrainOptions({
      batch: '1000',
      steps: 0,
      seed: '2.5',
      sampleEvery: 'often',
    });
    expect(options).toMatchObject({
      batch: TRAIN_LIMITS.batch.max,
      steps: 1,
      seed: 3,
      sampleEvery: DEFAULT_BROWSER_TRAIN.sampleEvery,
    });
    expect(notices).toEqual([
      'training steps 0 is below the minimum 1; using 1',
      'training batch 1000 is above the maximum 64; using 64',
      'training seed 2.5 is not a whole number; using 3',
      'live-sample interval "often" is not a number; using 50',
    ]);
  });

  it('keeps the current choice for an unknown one', () => {
    const { options, notices } = normalizeTrainOptions({ data: 'cifar', preset: 'huge' });
    expect(options.data).toBe('mnist');
    expect(options.preset).toBe('tiny');
    expect(notices).toHaveLength(2);
  });

  it("moves the preset to the data's image shape, keeping its size", () => {
    expect(normalizeTrainOptions({ data: 'avatars' }).options.preset).toBe('tiny-rgb');
    const big = { ...DEFAULT_BROWSER_TRAIN, preset: 'mnist' as const };
    expect(normalizeTrainOptions({ data: 'uploads' }, big).options.preset).toBe('rgb32');
    const { options, notices } = normalizeTrainOptions({ preset: 'rgb32' });
    expect(options.preset).toBe('tiny');
    expect(notices).toEqual(['preset rgb32 does not fit mnist images; using tiny']);
  });

  it('reads a saved run of before the data choice as a digits run', () => {
    const old = { preset: 'tiny', batch: 8, steps: 2000, seed: 0, sampleEvery: 50 };
    expect(normalizeTrainOptions(old)).toEqual({ options: DEFAULT_BROWSER_TRAIN, notices: [] });
  });
});

describe('lossChart', () => {
  it('smooths with a bias-corrected moving average: a constant stays constant', () => {
    expect(smoothed([2, 2, 2])).toEqual([2, 2, 2].map(() => expect.closeTo(2, 12)));
    const s = smoothed([1, 0, 0, 0]);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[3]!).toBeLessThan(s[1]!);
  });

  it('puts each step at x = step, raw and smoothed for both models', () => {
    const { x, series } = lossChart({ qac: [3, 2, 1], baseline: [4, 3, 2] });
    expect(x).toEqual([1, 2, 3]);
    expect(series.map((s) => s.label)).toEqual(['QAC (raw)', 'baseline (raw)', 'QAC', 'baseline']);
    expect(series[0]!.values).toEqual([3, 2, 1]);
  });
});
