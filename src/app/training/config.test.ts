import { describe, expect, it } from 'vitest';
import {
  browserTrainConfig,
  DEFAULT_BROWSER_TRAIN,
  newRunConfigs,
  savedRunConfigs,
  type RunConfigs,
} from './config';

const options = { ...DEFAULT_BROWSER_TRAIN, steps: 400 };

describe('savedRunConfigs', () => {
  it("resumes a saved run on its stored recipe, not today's defaults", () => {
    // A run saved under an older recipe: constant rate, a short EMA.
    const old = (mode: 'qac' | 'baseline') => ({
      ...browserTrainConfig(mode, options),
      lrSchedule: 'constant' as const,
      emaHalfLifeImages: 10_000,
      emaRampup: 0.1,
    });
    const configs: RunConfigs = { qac: old('qac'), baseline: old('baseline') };
    const resumed = savedRunConfigs({ options, configs });
    expect(resumed.qac).toEqual(configs.qac);
    expect(resumed.baseline).toEqual(configs.baseline);
    expect(resumed.qac.lrSchedule).not.toBe(newRunConfigs(options).qac.lrSchedule);
  });

  it("takes the options' steps but keeps the planned end of the cool-down", () => {
    const configs = newRunConfigs(options);
    const resumed = savedRunConfigs({ options: { ...options, steps: 1000 }, configs });
    expect(resumed.qac.steps).toBe(1000);
    expect(resumed.qac.lrDecaySteps).toBe(400);
    expect(resumed.baseline.lrDecaySteps).toBe(400);
    // browserTrainConfig alone would have moved it with the steps.
    expect(browserTrainConfig('qac', { ...options, steps: 1000 }).lrDecaySteps).toBe(1000);
  });

  it('gives a run saved without its configs the legacy defaults (a constant rate, the old EMA)', () => {
    const resumed = savedRunConfigs({ options });
    for (const mode of ['qac', 'baseline'] as const) {
      expect(resumed[mode]).toEqual({
        ...browserTrainConfig(mode, options),
        lrSchedule: 'constant',
        lrDecaySteps: 400,
        emaHalfLifeImages: 10_000,
        emaRampup: 0.1,
      });
      // Today's default differs, so the test would notice the legacy EMA going missing.
      expect(browserTrainConfig(mode, options).emaHalfLifeImages).not.toBe(10_000);
    }
  });
});
