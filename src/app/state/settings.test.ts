import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  LIMITS,
  normalizeSettings,
  settingsFromSearch,
  settingsToSearch,
  type Settings,
} from './settings';

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
      view: 'lab',
    };
    const back = settingsFromSearch(settingsToSearch(s));
    expect(back.settings).toEqual(s);
    expect(back.notices).toEqual([]);
  });

  it('round-trips a model given by URL and its baseline', () => {
    const s: Settings = {
      ...DEFAULT_SETTINGS,
      model: 'https://cdn.example/m/x-qac/manifest.json?v=2&x=1',
      baseline: 'models/x-baseline/',
    };
    expect(settingsFromSearch(settingsToSearch(s)).settings).toEqual(s);
  });

  it('writes every key, so a link does not depend on the defaults of a later version', () => {
    const q = new URLSearchParams(settingsToSearch(DEFAULT_SETTINGS));
    expect([...q.keys()].sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    expect(q.get('code')).toBe('random');
  });

  it('clamps out-of-range numbers to the nearest allowed value, with a notice for each', () => {
    const { settings, notices } = settingsFromSearch(
      '?solver=euler&nfe=99999&batch=100000&editSteps=1e9&seed=-4&churn=500',
    );
    expect(settings.nfe).toBe(LIMITS.nfe.max);
    expect(settings.batch).toBe(LIMITS.batch.max);
    expect(settings.editSteps).toBe(LIMITS.editSteps.max);
    expect(settings.seed).toBe(0);
    expect(settings.churn).toBe(LIMITS.churn.max);
    expect(notices).toEqual([
      'nfe 99999 is above the maximum 50; using 50',
      'churn 500 is above the maximum 80; using 80',
      'batch 100000 is above the maximum 16; using 16',
      'seed -4 is below the minimum 0; using 0',
      'editSteps 1000000000 is above the maximum 100; using 100',
    ]);
  });

  it("snaps the NFE to the solver's nearest reachable one and drops AFS where it does not apply", () => {
    expect(settingsFromSearch('?solver=heun&afs=0&nfe=99999').settings.nfe).toBe(49);
    const { settings, notices } = settingsFromSearch('?solver=heun&afs=0&nfe=6');
    expect(settings.nfe).toBe(5);
    expect(notices).toEqual(['heun cannot spend 6 NFE; using 5']);
    const sde = normalizeSettings(
      { solver: 'euler-ancestral' },
      { ...DEFAULT_SETTINGS, afs: true },
    );
    expect(sde.settings.afs).toBe(false);
  });

  it('replaces bad choices and non-numbers by defaults, with notices, and ignores unknown keys', () => {
    const { settings, notices } = settingsFromSearch(
      '?solver=rk45&nfe=abc&afs=maybe&code=x&junk=1&seed2=3',
    );
    expect(settings.solver).toBe(DEFAULT_SETTINGS.solver);
    expect(settings.nfe).toBe(DEFAULT_SETTINGS.nfe);
    expect(settings.afs).toBe(DEFAULT_SETTINGS.afs);
    expect(settings.code).toBeNull();
    expect(notices).toHaveLength(4);
    expect(notices[0]).toMatch(/solver "rk45" is not one of the choices/);
  });
});

describe('model URLs in the link', () => {
  it('a 5,000-character ?model= gives a readable notice, shortened, and the catalog pair', () => {
    const long = `http://127.0.0.2:8123/${'m'.repeat(5_000 - 22)}`;
    const { settings, notices } = settingsFromSearch(`?model=${encodeURIComponent(long)}`);
    expect(settings.model).toBe('');
    expect(notices).toEqual([
      `the model URL "${long.slice(0, 100)}… (5,000 characters)" is 5,000 characters long, ` +
        'over the 4,096 a model URL may have; showing the catalog pair instead',
    ]);
  });

  it('a too long baseline keeps the one already loaded', () => {
    const base = { ...DEFAULT_SETTINGS, model: 'models/a/', baseline: 'models/b/' };
    const { settings, notices } = normalizeSettings({ baseline: 'x'.repeat(4_097) }, base);
    expect(settings.baseline).toBe('models/b/');
    expect(notices[0]).toMatch(
      /^the baseline URL "x{100}… \(4,097 characters\)" .*; keeping models\/b\/$/,
    );
  });
});
