// eval: writes into the model folder only with --update-model, puts everything in --out, checks
// every output before the evaluation starts and bounds its sizes.
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../../src/runtime/testing/fixture-model';
import { readOnlyDir, refused, removeTree, ROOT, runCli, tempDir, treeHashes } from './helpers';

/**
 * A real 28x28 model folder that says it was trained on MNIST, so the shipped MNIST classifier
 * (copied: the test must not depend on writing into models/) can evaluate it.
 */
async function writeMnistFixture(dir: string, kind: 'qac' | 'baseline') {
  const manifest = await writeFixtureModel(dir, { kind, height: 28, width: 28 });
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify({
      ...manifest,
      dataset: 'mnist',
      training: { ...manifest.training, config: { dataset: 'mnist' } },
    }),
  );
}

let scratch: string;
let model: string;
let classifier: string;
beforeAll(async () => {
  scratch = await tempDir('eval');
  model = join(scratch, 'model');
  await writeMnistFixture(model, 'qac');
  classifier = join(scratch, 'classifier-mnist');
  await cp(join(ROOT, 'models', 'classifier-mnist'), classifier, { recursive: true });
});
afterAll(() => removeTree(scratch));

const tiny = () => [
  ...['--model', model, '--classifier', classifier, '--solver', 'euler', '--nfe', '2'],
  ...['--n', '2', '--batch', '2'],
];

describe('eval: where results go', () => {
  it('--out DIR puts eval.json and eval.md there and leaves the model folder byte for byte', async () => {
    const before = await treeHashes(model);
    const out = join(scratch, 'out', 'run-1');
    const res = await runCli('eval', [...tiny(), '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['eval.json', 'eval.md']);
    expect(JSON.parse(await readFile(join(out, 'eval.json'), 'utf8'))).toMatchObject({ n: 2 });
    expect(await treeHashes(model)).toEqual(before);
  });

  it('without --out or --update-model it only prints, and says so', async () => {
    const before = await treeHashes(model);
    const res = await runCli('eval', tiny());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('results are only printed');
    expect(res.stdout).toMatch(/\| euler/);
    expect(await treeHashes(model)).toEqual(before);
  });

  it('--update-model records it in the model folder without touching the model files', async () => {
    const copy = join(scratch, 'model-updated');
    await cp(model, copy, { recursive: true });
    const before = await treeHashes(copy);
    const res = await runCli('eval', [...tiny(), '--model', copy, '--update-model']);
    expect(res.code, res.stderr).toBe(0);
    const after = await treeHashes(copy);
    for (const f of ['denoiser.onnx', 'encoder.onnx', 'weights.bin', 'card.md'])
      expect(after[f]).toBe(before[f]);
    const m = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    expect(m.evaluation).toMatchObject({ samples: 2 });
    expect(Object.keys(after).sort()).toContain('eval.json');
  });
});

describe('eval: codes of training images', () => {
  it('--codes train-images samples with the encoder codes of MNIST training images and says so', async () => {
    const out = join(scratch, 'out', 'train-codes');
    const res = await runCli('eval', [...tiny(), '--codes', 'train-images', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('codes of training images');
    expect(JSON.parse(await readFile(join(out, 'eval.json'), 'utf8'))).toMatchObject({
      codes: 'train-images',
    });
    expect(await readFile(join(out, 'eval.md'), 'utf8')).toContain(
      'sample k takes the code of training image k',
    );
  });

  it('refuses --update-model with them, leaving the model folder as it was', async () => {
    const before = await treeHashes(model);
    const res = await runCli('eval', [...tiny(), '--codes', 'train-images', '--update-model']);
    expect(refused(res)).toMatch(/--update-model records how the model samples for everyone/);
    expect(res.stdout).not.toContain('evaluating');
    expect(await treeHashes(model)).toEqual(before);
  });

  it('refuses them on a baseline, which has no encoder', async () => {
    const baseline = join(scratch, 'baseline');
    await writeMnistFixture(baseline, 'baseline');
    const res = await runCli('eval', [...tiny(), '--model', baseline, '--codes', 'train-images']);
    expect(refused(res)).toMatch(/baseline model: it has no encoder to take codes from/);
  });
});

describe('eval: refused before the evaluation starts', () => {
  it('an --out that takes no files', async () => {
    const res = await runCli('eval', [...tiny(), '--out', join(await readOnlyDir(scratch), 'x')]);
    expect(refused(res)).toMatch(/--out .*x: cannot create files in /);
    expect(res.stdout).not.toContain('evaluating');
  });

  it('an --out that is a file', async () => {
    const file = join(scratch, 'results.txt');
    await writeFile(file, 'keep');
    const res = await runCli('eval', [...tiny(), '--out', file]);
    expect(refused(res)).toMatch(/--out .*results\.txt: is a file, not a folder/);
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('a batch, NFE or sample count beyond the limits, by name', async () => {
    const [batch, nfe, n] = await Promise.all([
      runCli('eval', [...tiny(), '--batch', '1000000000']),
      runCli('eval', [...tiny(), '--nfe', '3,5000']),
      runCli('eval', [...tiny(), '--n', '1000000000']),
    ]);
    expect(refused(batch)).toMatch(/--batch must be an integer from 1 to 1,024/);
    expect(refused(nfe)).toMatch(/--nfe must be an integer from 1 to 1,000/);
    expect(refused(n)).toMatch(/--n must be an integer from 2 to 50,000/);
  });

  it('a missing classifier, with the command that trains one', async () => {
    const before = await treeHashes(model);
    const res = await runCli('eval', [...tiny(), '--classifier', join(scratch, 'no-clf')]);
    expect(refused(res)).toMatch(
      /classifier .*no-clf\/classifier\.json: .*\n\(train one with: npm run train -- --classifier --dataset mnist/,
    );
    expect(await treeHashes(model)).toEqual(before);
  });

  it('an unknown solver, with the known ones', async () => {
    const res = await runCli('eval', [...tiny(), '--solver', 'ipndm,rk4']);
    expect(refused(res)).toMatch(/unknown solver "rk4"; one of ipndm, /);
  });
});
