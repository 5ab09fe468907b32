import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema, type Manifest } from '../../runtime';
import { writeFixtureModel } from '../../runtime/testing/fixture-model';
import type { ClassifierInfo } from '../eval';
import { renderReport, type PairReport } from './markdown';
import type { ModelEval } from './plan';

let dir: string;
let manifest: Manifest;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-markdown-'));
  await writeFixtureModel(dir);
  manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const classifier: ClassifierInfo = {
  format: 'qac-playground-classifier',
  name: 'classifier-x',
  dataset: 'x-attributes',
  config: { channels: 1, height: 4, width: 4, classes: 4, widths: [8] },
  classNames: ['a', 'b', 'c', 'd'],
  featureDim: 8,
  heldOutAccuracy: 0.9,
  heldOutImages: 100,
  attributes: [{ name: 'glasses', bit: 0, values: ['no', 'yes'], heldOutAccuracy: 0.95 }],
  steps: 10,
  sha256: 'a'.repeat(64),
};

const pending = (evalOf: ModelEval | null): PairReport => ({
  id: 'x',
  label: 'X',
  qac: { folder: 'x-qac', manifest, eval: evalOf, headline: null, usage: null },
  baseline: { folder: 'x-baseline', manifest, eval: evalOf, headline: null },
  classifier,
  headline: null,
  reference: null,
  plot: null,
  grid: null,
  gridSolver: 'iPNDM + AFS',
  second: [],
});

describe('renderReport', () => {
  it('gives a pair that is not evaluated yet its section and the commands to evaluate it', () => {
    const text = renderReport([pending(null)], '');
    expect(text).toContain('## X (`x`)');
    expect(text).toContain('held-out accuracy 90.00% on 100 held-out images');
    expect(text).toContain('glasses 95.00%');
    expect(text).toContain('`npm run report -- --part headline --pair x`');
    expect(text).toContain('`npm run report -- --part grid --pair x`');
    expect(text).not.toContain('--eval-model x-qac');
  });

  it('names the grid n in the heading and the command that made it', () => {
    const e: ModelEval = {
      model: 'm',
      kind: 'qac',
      n: 250,
      seed: 0,
      end: 'sigmaMin',
      classifier: 'classifier-x',
      settings: [
        {
          solver: 'euler',
          requestedNfe: 4,
          nfe: 4,
          afs: false,
          fidProxy: 2,
          curvature: 0.1,
          seconds: 1,
        },
      ],
    };
    const text = renderReport([pending(e)], '');
    expect(text).toContain('### Solver x NFE grid (n = 250, one seed: noisier than the headline)');
    expect(text).toContain('`npm run report -- --part grid --n 250 --eval-model x-qac`');
    expect(text).toMatch(/\| Euler \| 4 \| 2\.00 \| 2\.00 \| -0% \|/);
    expect(text).toContain('cannot check that it was made with today');
    const hashed = renderReport([pending({ ...e, classifierSha256: 'a'.repeat(64) })], '');
    expect(hashed).not.toContain('cannot check');
  });
});
