// Special files (issue 22): a FIFO, a device or a symlink loop at any input or output path of the
// CLIs is refused by name before anything opens it, instead of hanging; every read is bounded by
// the size it should have; symlinks are followed for inputs and written through (never replaced)
// for outputs. Each case asserts the message and that nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { cp, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelNode } from '../../src/runtime/node';
import { writeFixtureModel } from '../../src/runtime/testing/fixture-model';
import { leftovers } from './disk';
import { refused, removeTree, runCli, tempDir, treeHashes } from './helpers';
import { trainTinyRun } from './tiny-run';

let scratch: string;
let model: string;
let run: string;
beforeAll(async () => {
  scratch = await tempDir('special');
  model = join(scratch, 'model');
  await writeFixtureModel(model);
  run = join(scratch, 'run');
  await trainTinyRun(run);
}, 60_000);
afterAll(() => removeTree(scratch));

/** A fresh folder under the scratch folder. */
async function folder(name: string): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  return dir;
}
const mkfifo = (path: string) => void execFileSync('mkfifo', [path]);
/** A character device like /dev/full (1, 7), made here so no test can touch the real one. */
const mkFullDevice = (path: string) => execFileSync('mknod', [path, 'c', '1', '7']);
const kind = (path: string) => {
  const s = lstatSync(path);
  return s.isFIFO()
    ? 'fifo'
    : s.isCharacterDevice()
      ? 'char'
      : s.isSymbolicLink()
        ? 'link'
        : 'other';
};
/** A model folder whose denoiser.onnx is replaced by `make(path)`. */
async function modelWithDenoiser(name: string, make: (path: string) => Promise<void> | void) {
  const dir = join(scratch, name);
  await cp(model, dir, { recursive: true });
  await rm(join(dir, 'denoiser.onnx'));
  await make(join(dir, 'denoiser.onnx'));
  return dir;
}

const sample = (...args: string[]) => runCli('sample', ['--model', model, '--batch', '2', ...args]);

describe('sample: FIFOs, devices and symlinks as outputs', () => {
  it('--out onto a FIFO is refused before sampling (it hung in the pre-check), the FIFO left as it is', async () => {
    const dir = await folder('fifo-out');
    mkfifo(join(dir, 'f.png'));
    const res = await sample('--out', join(dir, 'f.png'));
    expect(refused(res)).toMatch(
      /--out .*f\.png: is a FIFO \(named pipe\), not a regular file; refusing to write to it/,
    );
    expect(res.stdout).not.toContain('solver');
    expect(kind(join(dir, 'f.png'))).toBe('fifo');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('--out onto a FIFO with --force is refused too (it sampled, then hung writing)', async () => {
    const dir = await folder('fifo-force');
    mkfifo(join(dir, 'f.png'));
    const res = await sample('--out', join(dir, 'f.png'), '--force');
    expect(refused(res)).toMatch(/f\.png: is a FIFO \(named pipe\), not a regular file/);
    expect(res.stdout).not.toContain('solver');
    expect(kind(join(dir, 'f.png'))).toBe('fifo');
  });

  it('--npy onto a FIFO is refused before sampling, and --out is not written', async () => {
    const dir = await folder('fifo-npy');
    mkfifo(join(dir, 'x.npy'));
    const res = await sample('--out', join(dir, 'grid.png'), '--npy', join(dir, 'x.npy'));
    expect(refused(res)).toMatch(
      /--npy .*x\.npy: is a FIFO \(named pipe\), not a regular file; refusing to write to it/,
    );
    expect(await treeHashes(dir)).toEqual({ 'x.npy': 'special file' });
  });

  it('--out inside a symlink loop says so (it said the folder does not exist)', async () => {
    const dir = await folder('loop-out');
    await symlink('loop', join(dir, 'loop'));
    const [inside, itself] = await Promise.all([
      sample('--out', join(dir, 'loop', 'grid.png')),
      sample('--out', join(dir, 'loop')),
    ]);
    expect(refused(inside)).toMatch(
      /--out .*loop\/grid\.png: .*loop-out\/loop is inside a symlink loop \(ELOOP\); fix or remove the links/,
    );
    expect(refused(itself)).toMatch(/--out .*loop: is inside a symlink loop \(ELOOP\)/);
    expect(await treeHashes(dir)).toEqual({ loop: 'link to loop' });
  });

  it('--out through a symlink writes the PNG it leads to and keeps the link; a dangling link is refused', async () => {
    const dir = await folder('link-out');
    await writeFile(join(dir, 'real.png'), PNG.sync.write(new PNG({ width: 1, height: 1 })));
    await symlink('real.png', join(dir, 'grid.png'));
    const res = await sample('--out', join(dir, 'grid.png'));
    expect(res.code, res.stderr).toBe(0);
    expect(await readlink(join(dir, 'grid.png'))).toBe('real.png');
    expect(PNG.sync.read(await readFile(join(dir, 'real.png'))).width).toBeGreaterThan(1);

    await symlink('nowhere/x.png', join(dir, 'dangling.png'));
    expect(refused(await sample('--out', join(dir, 'dangling.png')))).toMatch(
      /dangling\.png: is a symlink to nowhere\/x\.png, which does not exist; refusing to replace the link/,
    );
    expect(kind(join(dir, 'dangling.png'))).toBe('link');
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('model folders: special and oversized files are named, not read', () => {
  it('a denoiser.onnx that is a FIFO (the loader hung): sample and loadModelNode refuse it', async () => {
    const dir = await modelWithDenoiser('model-fifo', mkfifo);
    const before = await treeHashes(dir);
    const message =
      /model-fifo\/denoiser\.onnx: is a FIFO \(named pipe\), not a regular file; refusing to read it/;
    await expect(loadModelNode(dir)).rejects.toThrow(message);
    const res = await runCli('sample', ['--model', dir, '--out', join(scratch, 'never.png')]);
    expect(refused(res)).toMatch(message);
    expect(await treeHashes(dir)).toEqual(before);
  });

  it('a denoiser.onnx that links to /dev/zero (the loader read forever) is refused by name', async () => {
    const dir = await modelWithDenoiser('model-zero', (p) => symlink('/dev/zero', p));
    const res = await runCli('sample', ['--model', dir, '--out', join(scratch, 'never.png')]);
    expect(refused(res)).toMatch(
      /model-zero\/denoiser\.onnx: is a character device \(a link to \/dev\/zero\), not a regular file; refusing to read it/,
    );
    expect(await readlink(join(dir, 'denoiser.onnx'))).toBe('/dev/zero');
  });

  it('a denoiser.onnx larger than the manifest lists is refused without reading it', async () => {
    const dir = await modelWithDenoiser('model-big', (p) => writeFile(p, Buffer.alloc(5_000_000)));
    const declared = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).files.denoiser
      .bytes as number;
    await expect(loadModelNode(dir)).rejects.toThrow(
      `model-big/denoiser.onnx: is 5,000,000 bytes, more than the ${declared.toLocaleString('en')} bytes the manifest lists; not read`,
    );
  });
});

describe('export: special inputs and symlinked targets', () => {
  it('a checkpoint that is a FIFO (export hung) is refused, and OUT is not created', async () => {
    const dir = await folder('fifo-ckpt');
    mkfifo(join(dir, 'x.ckpt'));
    const res = await runCli('export', [join(dir, 'x.ckpt'), join(dir, 'out')]);
    expect(refused(res)).toMatch(
      /checkpoint .*x\.ckpt: is a FIFO \(named pipe\), not a regular file; refusing to read it/,
    );
    expect(await treeHashes(dir)).toEqual({ 'x.ckpt': 'special file' });
  });

  it('a run whose checkpoint.ckpt links to /dev/zero is refused, for export and train --resume', async () => {
    const bad = await folder('zero-run');
    await symlink('/dev/zero', join(bad, 'checkpoint.ckpt'));
    const [exp, resume] = await Promise.all([
      runCli('export', [bad, join(scratch, 'zero-out')]),
      runCli('train', ['--dataset', 'mnist', '--out', bad, '--resume', '--steps', '4']),
    ]);
    const message =
      /checkpoint .*zero-run\/checkpoint\.ckpt: is a character device \(a link to \/dev\/zero\), not a regular file; refusing to read it/;
    expect(refused(exp)).toMatch(message);
    expect(refused(resume)).toMatch(message);
    expect(await treeHashes(bad)).toEqual({ 'checkpoint.ckpt': 'link to /dev/zero' });
  });

  it('OUT as a symlink to a model folder replaces the folder it leads to and keeps the link', async () => {
    const dir = await folder('link-export');
    await writeFixtureModel(join(dir, 'real'));
    await symlink('real', join(dir, 'model'));
    const res = await runCli('export', [run, join(dir, 'model')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`wrote ${join(dir, 'real')}`);
    expect(await readlink(join(dir, 'model'))).toBe('real');
    const m = JSON.parse(await readFile(join(dir, 'real', 'manifest.json'), 'utf8'));
    expect(m.training.steps).toBe(2);
    expect(m.name).toBe('model');
    expect(await leftovers(dir)).toEqual([]);
  }, 60_000);

  it('OUT as a dangling symlink, a symlink loop or a /dev/full-like device (even with --force) is refused', async () => {
    const dir = await folder('bad-export-targets');
    await symlink('gone', join(dir, 'dangling'));
    await symlink('loop', join(dir, 'loop'));
    mkFullDevice(join(dir, 'full'));
    const before = await treeHashes(dir);
    const [dangling, loop, device] = await Promise.all([
      runCli('export', [run, join(dir, 'dangling')]),
      runCli('export', [run, join(dir, 'loop')]),
      runCli('export', [run, join(dir, 'full'), '--force']),
    ]);
    expect(refused(dangling)).toMatch(
      /export: .*dangling: is a symlink to gone, which does not exist; refusing to replace the link/,
    );
    expect(refused(loop)).toMatch(/export: .*loop: is inside a symlink loop \(ELOOP\)/);
    expect(refused(device)).toMatch(
      /export: .*full is a character device, not a model folder; refusing to replace it/,
    );
    for (const res of [dangling, loop, device]) expect(res.stdout).not.toContain('parity');
    expect(await treeHashes(dir)).toEqual(before);
    expect(kind(join(dir, 'full'))).toBe('char');
  });
});

describe('eval and train: output folders in loops or on special files', () => {
  it('eval --out inside a symlink loop, or on a FIFO, is refused before the evaluation', async () => {
    const dir = await folder('eval-out');
    await symlink('loop', join(dir, 'loop'));
    mkfifo(join(dir, 'fifo'));
    const args = ['--model', model, '--solver', 'euler', '--nfe', '2', '--n', '2'];
    const [loop, fifo] = await Promise.all([
      runCli('eval', [...args, '--out', join(dir, 'loop', 'results')]),
      runCli('eval', [...args, '--out', join(dir, 'fifo')]),
    ]);
    expect(refused(loop)).toMatch(/--out .*loop\/results: is inside a symlink loop \(ELOOP\)/);
    expect(refused(fifo)).toMatch(
      /--out .*fifo: is a FIFO \(named pipe\), not a folder; refusing to write to it/,
    );
    for (const res of [loop, fifo]) expect(res.stdout).not.toContain('evaluating');
    expect(await treeHashes(dir)).toEqual({ loop: 'link to loop', fifo: 'special file' });
  });

  it('train --data-dir whose Fashion-MNIST file is a FIFO is refused by name, leaving no run folder', async () => {
    const data = await folder('fashion-fifo');
    mkfifo(join(data, 'train-images-idx3-ubyte.gz'));
    const out = join(scratch, 'fashion-run');
    const res = await runCli('train', [
      ...['--dataset', 'fashion-mnist', '--data-dir', data, '--out', out],
    ]);
    expect(refused(res)).toMatch(
      /Fashion-MNIST: .*train-images-idx3-ubyte\.gz: is a FIFO \(named pipe\), not a regular file; refusing to read it/,
    );
    expect(existsSync(out)).toBe(false);
    expect(kind(join(data, 'train-images-idx3-ubyte.gz'))).toBe('fifo');
  });

  it('train --out inside a symlink loop is refused before any data loads', async () => {
    const dir = await folder('train-loop');
    await symlink('loop', join(dir, 'loop'));
    const res = await runCli('train', ['--dataset', 'mnist', '--out', join(dir, 'loop', 'run')]);
    expect(refused(res)).toMatch(/--out .*loop\/run: is inside a symlink loop \(ELOOP\)/);
    expect(res.stdout).not.toContain('parameters:');
  });
});
