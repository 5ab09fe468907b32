import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCatalog } from './catalogFiles';

let dir: string;

function model(folder: string, dataset: string, kind: string) {
  mkdirSync(join(dir, folder));
  writeFileSync(
    join(dir, folder, 'manifest.json'),
    JSON.stringify({ name: folder, dataset, kind }),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qac-catalog-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('models folder catalog', () => {
  it('infers one pair per dataset with both a qac and a baseline model', () => {
    model('fm-qac', 'fashion-mnist', 'qac');
    model('fm-base', 'fashion-mnist', 'baseline');
    model('emoji-qac', 'emoji', 'qac');
    const found = resolveCatalog(dir);
    expect(found?.inferred).toBe(true);
    expect(found?.catalog.pairs).toEqual([
      {
        id: 'fashion-mnist',
        label: 'fashion-mnist (fm-qac vs fm-base)',
        qac: 'fm-qac',
        baseline: 'fm-base',
      },
    ]);
    expect(found?.catalog.default).toBe('fashion-mnist');
  });

  it('returns null when no pair is complete', () => {
    model('emoji-qac', 'emoji', 'qac');
    expect(resolveCatalog(dir)).toBeNull();
  });

  it('uses catalog.json when present and names a folder it lacks', () => {
    model('a-qac', 'a', 'qac');
    const catalog = {
      version: 1,
      default: 'a',
      pairs: [{ id: 'a', label: 'A', qac: 'a-qac', baseline: 'a-base' }],
    };
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
    expect(() => resolveCatalog(dir)).toThrow(
      /pair "a" names a-base, but .*a-base\/manifest\.json is missing/,
    );
    model('a-base', 'a', 'baseline');
    expect(resolveCatalog(dir)).toEqual({ catalog, inferred: false });
  });
});
