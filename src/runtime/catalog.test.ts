import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog';

const pair = { id: 'mnist', label: 'MNIST', qac: 'mnist-qac', baseline: 'mnist-baseline' };

describe('models/catalog.json', () => {
  it('accepts a valid catalog', () => {
    const c = parseCatalog(JSON.stringify({ version: 1, default: 'mnist', pairs: [pair] }));
    expect(c.pairs[0].qac).toBe('mnist-qac');
  });

  it('names the field that is wrong', () => {
    expect(() =>
      parseCatalog(JSON.stringify({ version: 1, default: 'emoji', pairs: [pair] })),
    ).toThrow(/catalog\.json \(default\): no pair has id "emoji"/);
    expect(() =>
      parseCatalog(JSON.stringify({ version: 1, default: 'mnist', pairs: [pair, pair] })),
    ).toThrow(/pairs\.1\.id.*duplicate/);
    expect(() =>
      parseCatalog(JSON.stringify({ version: 1, default: 'mnist', pairs: [{ ...pair, qac: '' }] })),
    ).toThrow(/pairs\.0\.qac/);
    expect(() =>
      parseCatalog(JSON.stringify({ version: 2, default: 'mnist', pairs: [pair] })),
    ).toThrow(/\(version\)/);
  });

  it('says when the file is not JSON', () => {
    expect(() => parseCatalog('{oops', 'x/catalog.json')).toThrow(
      /x\/catalog\.json: not valid JSON/,
    );
  });
});
