// sample (and examples): sizes are bounded by name instead of crashing V8, and every output path
// is checked before sampling; an existing file is replaced only if it is of the kind written.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../../src/runtime/testing/fixture-model';
import { readOnlyDir, refused, removeTree, runCli, tempDir, treeHashes } from './helpers';

let scratch: string;
let model: string;
beforeAll(async () => {
  scratch = await tempDir('sample');
  model = join(scratch, 'model');
  await writeFixtureModel(model);
});
afterAll(() => removeTree(scratch));

const sample = (...args: string[]) => runCli('sample', ['--model', model, ...args]);

describe('sample: limits and output paths', () => {
  it('--batch 1000000000 is refused by name with exit 1, not a V8 heap crash (exit 134)', async () => {
    const out = join(scratch, 'huge.png');
    const res = await sample('--batch', '1000000000', '--out', out);
    expect(refused(res)).toMatch(/--batch must be an integer from 1 to 1,024/);
    expect(res.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a QAC_ORT_THREADS that is not a thread count is refused by name, writing nothing', async () => {
    const out = join(scratch, 'threads.png');
    const res = await runCli('sample', ['--model', model, '--out', out], {
      QAC_ORT_THREADS: 'all',
    });
    expect(refused(res)).toMatch(
      /QAC_ORT_THREADS must be a whole number of threads >= 1, not "all"/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('an NFE beyond the limit is refused by name', async () => {
    const res = await sample('--nfe', '1000000', '--out', join(scratch, 'n.png'));
    expect(refused(res)).toMatch(/--nfe must be an integer from 1 to 1,000/);
  });

  it('--out into a missing folder is refused before sampling, creating nothing', async () => {
    const res = await sample('--out', join(scratch, 'no', 'such', 'grid.png'));
    expect(refused(res)).toMatch(/--out .*grid\.png: the folder .*no\/such does not exist/);
    expect(res.stdout).not.toContain('solver');
    expect(existsSync(join(scratch, 'no'))).toBe(false);
  });

  it('--out onto a model manifest is refused and the model stays byte for byte', async () => {
    const before = await treeHashes(model);
    const res = await sample('--out', join(model, 'manifest.json'));
    expect(refused(res)).toMatch(
      /manifest\.json: exists and is not a PNG file; refusing to overwrite it \(pick another name or pass --force\)/,
    );
    expect(await treeHashes(model)).toEqual(before);
  });

  it('--npy onto a file that is not .npy, or onto the --out file, is refused', async () => {
    const notes = join(scratch, 'notes.npy');
    await writeFile(notes, 'not an array');
    const png = join(scratch, 'grid.png');
    const [wrongKind, same] = await Promise.all([
      sample('--out', png, '--npy', notes),
      sample('--out', png, '--npy', png),
    ]);
    expect(refused(wrongKind)).toMatch(/--npy .*notes\.npy: exists and is not a \.npy file/);
    expect(refused(same)).toMatch(/--npy .*grid\.png: is the same file as --out/);
    expect(await readFile(notes, 'utf8')).toBe('not an array');
    expect(existsSync(png)).toBe(false);
  });

  it('--out naming a folder, or in a folder that takes no files, is refused', async () => {
    const dir = join(scratch, 'a-folder');
    await mkdir(dir);
    const [folder, readOnly] = await Promise.all([
      sample('--out', dir),
      sample('--out', join(await readOnlyDir(scratch), 'grid.png')),
    ]);
    expect(refused(folder)).toMatch(/a-folder: is a folder; give a file name/);
    expect(refused(readOnly)).toMatch(/grid\.png: cannot create files in /);
    expect(await readdir(dir)).toEqual([]);
  });

  it('still overwrites a PNG it wrote before (and --force anything)', async () => {
    const out = join(scratch, 'again.png');
    expect((await sample('--batch', '2', '--out', out)).code).toBe(0);
    const res = await sample('--batch', '3', '--out', out);
    expect(res.code, res.stderr).toBe(0);
    expect(PNG.sync.read(await readFile(out)).width).toBeGreaterThan(0);
    const text = join(scratch, 'forced.png');
    await writeFile(text, 'text');
    expect((await sample('--out', text, '--force')).code).toBe(0);
    expect(PNG.sync.read(await readFile(text)).width).toBeGreaterThan(0);
  });
});

describe('examples: output path', () => {
  it('refuses to overwrite a file that is not a PNG, before loading the dataset', async () => {
    const file = join(scratch, 'catalog.json');
    await writeFile(file, '{"pairs": []}');
    const res = await runCli('examples', ['--dataset', 'mnist', '--out', file]);
    expect(refused(res)).toMatch(/catalog\.json: exists and is not a PNG file/);
    expect(await readFile(file, 'utf8')).toBe('{"pairs": []}');
  });
});
