// The URL: whatever a pasted link holds, the settings parser returns valid settings, says what it
// changed, and leaves the defaults alone. (e2e/bad-input.spec.ts loads such links in Chromium.)
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsFromSearch } from '../../src/app/state/settings';

/** Parses `search`, checking the shared defaults are not mutated by it. */
function parse(search: string) {
  const defaults = structuredClone(DEFAULT_SETTINGS);
  const out = settingsFromSearch(search);
  expect(DEFAULT_SETTINGS).toEqual(defaults);
  return out;
}

describe('URL settings: hostile links', () => {
  it('a 200 kB query of junk gives the defaults, quickly', () => {
    const t0 = performance.now();
    const { settings } = parse(`?junk=${'x'.repeat(200_000)}&${'a=1&'.repeat(5_000)}`);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('numbers that are not numbers, infinite or out of range are replaced, each with a notice', () => {
    const { settings, notices } = parse('?nfe=1e400&seed=99999999999999999999&batch=-3&churn=NaN');
    expect(settings).toMatchObject({
      nfe: DEFAULT_SETTINGS.nfe,
      seed: 2 ** 31 - 1,
      batch: 1,
      churn: DEFAULT_SETTINGS.churn,
    });
    expect(notices).toEqual([
      `nfe "1e400" is not a number; using ${DEFAULT_SETTINGS.nfe}`,
      `churn "NaN" is not a number; using ${DEFAULT_SETTINGS.churn}`,
      'batch -3 is below the minimum 1; using 1',
      'seed 100000000000000000000 is above the maximum 2147483647; using 2147483647',
    ]);
  });

  it('a code index that is negative or beyond safe integers draws codes instead', () => {
    for (const code of ['-1', '1e300', '2.5', 'abc']) {
      const { settings, notices } = parse(`?code=${code}`);
      expect(settings.code, code).toBeNull();
      expect(notices.join('\n'), code).toMatch(/is not a code index/);
    }
  });

  it('an unknown solver, edit mode or backend falls back, naming the value', () => {
    const { settings, notices } = parse(
      '?solver=%3Cscript%3Ealert(1)%3C%2Fscript%3E&editMode=erase&backend=cuda',
    );
    expect([settings.solver, settings.editMode, settings.backend]).toEqual([
      DEFAULT_SETTINGS.solver,
      DEFAULT_SETTINGS.editMode,
      DEFAULT_SETTINGS.backend,
    ]);
    expect(notices.join('\n')).toMatch(/solver "<script>alert\(1\)<\/script>" is not one of/);
    expect(notices.join('\n')).toMatch(/backend "cuda" is not one of/);
  });

  it('broken percent-escapes, __proto__ keys and repeated keys do not throw or pollute', () => {
    const { settings } = parse('?__proto__=x&constructor=y&nfe=%E0%A4%A&seed=7&seed=8&%ZZ=1');
    expect(settings.seed).toBe(7);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
  });
});
