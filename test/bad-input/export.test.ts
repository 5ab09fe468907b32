// export: replaces only what it made (a missing or empty folder, or a model folder), checks the
// target before the parity check, and names the run file it cannot read.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../../src/runtime/testing/fixture-model';
import { exportRun } from '../../src/train/export';
import { readOnlyDir, refused, removeTree, runCli, tempDir, treeHashes } from './helpers';
import { trainTinyRun } from './tiny-run';

let scratch: string;
let run: string;
beforeAll(async () => {
  scratch = await tempDir('export');
  run = join(scratch, 'run');
  await trainTinyRun(run);
}, 60_000);
afterAll(() => removeTree(scratch));

/** A folder of the user's own files. */
async function userFolder(name: string): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(join(dir, 'photos'), { recursive: true });
  await writeFile(join(dir, 'thesis.tex'), '\\documentclass{article}');
  await writeFile(join(dir, 'photos', 'cat.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  return dir;
}

describe('export: bad targets', () => {
  it('refuses a folder of the user files and leaves every file as it was', async () => {
    const dir = await userFolder('mine');
    const before = await treeHashes(dir);
    const stderr = refused(await runCli('export', [run, dir]));
    expect(stderr).toMatch(
      /export: .*mine is not empty and not a model folder \(it holds photos, thesis\.tex\); refusing to replace it: pick a new or empty folder, or pass --force/,
    );
    expect(await treeHashes(dir)).toEqual(before);
  });

  it('refuses a regular file at OUT and leaves it as it was', async () => {
    const file = join(scratch, 'notes.txt');
    await writeFile(file, 'my notes');
    const stderr = refused(await runCli('export', [run, file]));
    expect(stderr).toMatch(/notes\.txt is a file, not a model folder; refusing to replace it/);
    expect(await readFile(file, 'utf8')).toBe('my notes');
  });

  it('refuses a models folder (export RUN models) and leaves every model in it', async () => {
    const models = join(scratch, 'models');
    await writeFixtureModel(join(models, 'fixture-qac'));
    await writeFile(join(models, 'catalog.json'), '{"pairs": []}');
    const before = await treeHashes(models);
    const stderr = refused(await runCli('export', [run, models]));
    expect(stderr).toMatch(/models is not empty and not a model folder \(it holds catalog\.json/);
    expect(await treeHashes(models)).toEqual(before);
  });

  it('refuses a model folder that also holds a file of the user, naming it', async () => {
    const model = join(scratch, 'model-with-notes');
    await writeFixtureModel(model);
    await writeFile(join(model, 'my-notes.md'), 'keep me');
    const before = await treeHashes(model);
    const stderr = refused(await runCli('export', [run, model]));
    expect(stderr).toMatch(
      /model-with-notes is a model folder that also holds files export did not write \(my-notes\.md\)/,
    );
    expect(await treeHashes(model)).toEqual(before);
  });

  it('refuses a target whose folder takes no files, before the parity check', async () => {
    const ro = await readOnlyDir(scratch);
    const res = await runCli('export', [run, join(ro, 'model')]);
    expect(refused(res)).toMatch(/export: .*: cannot create files in /);
    expect(res.stdout).not.toContain('parity');
  });

  it('names a run that does not exist and a truncated checkpoint, writing nothing', async () => {
    const out = join(scratch, 'never');
    expect(refused(await runCli('export', [join(scratch, 'no-run'), out]))).toMatch(
      /checkpoint .*no-run\/checkpoint\.ckpt: cannot read \(ENOENT\)/,
    );
    const torn = join(scratch, 'torn.ckpt');
    await writeFile(torn, (await readFile(join(run, 'checkpoint.ckpt'))).subarray(0, 4000));
    expect(refused(await runCli('export', [torn, out]))).toMatch(
      /torn\.ckpt: truncated inside the header/,
    );
    expect((await readdir(scratch)).filter((n) => n.includes('never'))).toEqual([]);
  });

  it('still replaces a model folder (eval files included), fills an empty one, and --force replaces anything', async () => {
    const model = join(scratch, 'model');
    await writeFixtureModel(model);
    await writeFile(join(model, 'eval.json'), '{}');
    await writeFile(join(model, 'headline.json'), '{}');
    const res = await exportRun(run, model);
    expect(res.manifest.training.steps).toBe(2);
    expect((await readdir(model)).sort()).toEqual([
      'card.md',
      'denoiser.onnx',
      'encoder.onnx',
      'manifest.json',
      'weights.bin',
    ]);
    const empty = join(scratch, 'empty');
    await mkdir(empty);
    await exportRun(run, empty);
    expect(await readdir(empty)).toContain('manifest.json');
    const forced = await userFolder('forced');
    await exportRun(run, forced, { force: true });
    expect(await readdir(forced)).not.toContain('thesis.tex');
  }, 60_000);
});
