import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsFromSearch, settingsToSearch, type Settings } from './settings';

describe('settings in the URL', () => {
  it('round-trips every field, including a fixed code and booleans', () => {
    const s: Settings = {
      ...DEFAULT_SETTINGS,
      pair: 'mnist',
      solver: 'edm-sde',
      nfe: 13,
      afs: false,
      gridEnd: 'sigmaMin',
      churn: 30,
      batch: 9,
      seed: 123456,
      code: 1023,
      extras: false,
      editMode: 'sr4',
      editSteps: 25,
      editExample: 3,
      backend: 'wasm',
    };
    expect(settingsFromSearch(settingsToSearch(s))).toEqual(s);
  });

  it('writes every key, so a link does not depend on the defaults of a later version', () => {
    const q = new URLSearchParams(settingsToSearch(DEFAULT_SETTINGS));
    expect([...q.keys()].sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    expect(q.get('code')).toBe('random');
  });

  it('replaces bad or out-of-range values by defaults and ignores unknown keys', () => {
    const s = settingsFromSearch(
      '?solver=rk45&nfe=999&batch=0&seed=-4&afs=maybe&code=x&junk=1&seed2=3',
    );
    expect(s.solver).toBe(DEFAULT_SETTINGS.solver);
    expect(s.nfe).toBe(DEFAULT_SETTINGS.nfe);
    expect(s.batch).toBe(DEFAULT_SETTINGS.batch);
    expect(s.seed).toBe(DEFAULT_SETTINGS.seed);
    expect(s.afs).toBe(DEFAULT_SETTINGS.afs);
    expect(s.code).toBeNull();
  });
});
