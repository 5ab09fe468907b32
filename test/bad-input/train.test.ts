// Training: one Ctrl-C under `npm run train` saves, bad flags and run folders are refused before
// any data loads, and a run that goes non-finite keeps its last good checkpoint.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/train/io/checkpoint';
import {
  readOnlyDir,
  refused,
  removeTree,
  ROOT,
  runCli,
  tempDir,
  treeHashes,
  type CliResult,
} from './helpers';

const TINY = ['--dataset', 'mnist', '--limit', '64', '--preset', 'tiny', '--batch', '8'];
const TINY_RUN = [...TINY, '--threads', '1', '--warmup', '0'];

let scratch: string;
beforeAll(async () => {
  scratch = await tempDir('train');
});
afterAll(() => removeTree(scratch));

/**
 * `npm run train` in its own process group; once training has started, SIGINT goes to the whole
 * group, as a terminal's Ctrl-C does (npm, the shell and node all get it; npm forwards its copy).
 */
function npmTrainWithCtrlC(args: string[]): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', 'train', '--', ...args], {
      cwd: ROOT,
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('parameters:')) {
        sent = true;
        // Into the steps, so the signal lands while one is running.
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 300);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe('train: bad input and interruptions', () => {
  const run = () => join(scratch, 'ctrl-c');

  it('one Ctrl-C under npm run train writes the checkpoint, says where, and --resume continues it', async () => {
    const res = await npmTrainWithCtrlC([...TINY_RUN, '--steps', '100000', '--out', run()]);
    // npm passes on node's 0, or (when the shell it runs re-raises the SIGINT it saw) dies of
    // SIGINT itself, which a terminal reports as 130.
    expect([0, 130, 'SIGINT'], res.stdout + res.stderr).toContain(res.code ?? res.signal);
    const ckpt = join(run(), 'checkpoint.ckpt');
    expect(res.stdout).toContain(`saved ${ckpt}`);
    const stopped = Number(/stopped at step (\d+)/.exec(res.stdout)?.[1]);
    expect((await readCheckpoint(ckpt)).meta.step).toBe(stopped);

    const resumed = await runCli('train', [
      ...[...TINY_RUN, '--steps', String(stopped + 2), '--out', run(), '--resume'],
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`done at step ${stopped + 2}`);
    expect((await readCheckpoint(ckpt)).meta.step).toBe(stopped + 2);
  }, 120_000);

  it('refuses to start over an existing run without --resume, leaving it as it was', async () => {
    const before = await treeHashes(run());
    const stderr = refused(await runCli('train', [...TINY_RUN, '--steps', '5', '--out', run()]));
    expect(stderr).toMatch(
      /already holds a run; pass --resume to continue it or pick another --out/,
    );
    expect(await treeHashes(run())).toEqual(before);
  });

  it('--resume on a folder without a checkpoint says so and writes nothing', async () => {
    const empty = join(scratch, 'empty-run');
    await mkdir(empty);
    const stderr = refused(await runCli('train', [...TINY_RUN, '--out', empty, '--resume']));
    expect(stderr).toMatch(/--resume: .*empty-run has no checkpoint\.ckpt to resume from/);
    expect(await readdir(empty)).toEqual([]);
  });

  it('a batch of 1e9 is refused by name with its limit, before any data loads', async () => {
    const out = join(scratch, 'huge-batch');
    const res = await runCli('train', [...TINY, '--batch', '1000000000', '--out', out]);
    expect(refused(res)).toMatch(/--batch must be an integer from 1 to 1,024/);
    expect(existsSync(out)).toBe(false);
  });

  it('a run folder that takes no files is refused before any data loads', async () => {
    const ro = await readOnlyDir(scratch);
    const res = await runCli('train', [...TINY_RUN, '--out', join(ro, 'run')]);
    expect(refused(res)).toMatch(/--out .*run: cannot create files in /);
    expect(res.stdout).not.toContain('parameters:');
  });

  it('a loss that turns infinite stops the run and keeps the last good checkpoint', async () => {
    const out = join(scratch, 'diverged');
    const res = await runCli('train', [
      ...[...TINY_RUN, '--lr', '1e30', '--steps', '20', '--checkpoint-every', '1', '--out', out],
    ]);
    expect(refused(res)).toMatch(
      /loss became (Infinity|NaN|-Infinity) at step (\d+); the run stopped and .*diverged keeps its last good checkpoint/,
    );
    const step = Number(/at step (\d+)/.exec(res.stderr)![1]);
    expect((await readCheckpoint(join(out, 'checkpoint.ckpt'))).meta.step).toBe(step - 1);
  });

  it('--init-from a folder that is no model, or a model of another network, is refused before the run folder exists', async () => {
    const out = join(scratch, 'init-from');
    const missing = refused(
      await runCli('train', [...TINY_RUN, '--init-from', join(scratch, 'nowhere'), '--out', out]),
    );
    expect(missing).toMatch(/manifest\.json.*missing in .*nowhere/);
    const other = refused(
      await runCli('train', [
        ...[...TINY_RUN, '--init-from', join(ROOT, 'models/fashion-mnist-qac'), '--out', out],
      ]),
    );
    expect(other).toMatch(
      /--init-from .*fashion-mnist-qac: the model was trained on fashion-mnist, the run on mnist/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a noise mean that is not a number is refused by name', async () => {
    const out = join(scratch, 'p-mean');
    const res = await runCli('train', [...TINY_RUN, '--p-mean', 'low', '--out', out]);
    expect(refused(res)).toMatch(/--p-mean must be a number/);
    expect(existsSync(out)).toBe(false);
  });

  it('a noise mixture with a share outside (0, 1) is refused by name', async () => {
    const out = join(scratch, 'p-mix');
    const res = await runCli('train', [...TINY_RUN, '--p-mix', '1.5,1,0.5', '--out', out]);
    expect(refused(res)).toMatch(/--p-mix must be share,mean,std with 0 < share < 1/);
    expect(existsSync(out)).toBe(false);
  });

  it('a folder dataset without --data-dir is refused and creates no run folder', async () => {
    const out = join(scratch, 'no-data');
    const stderr = refused(await runCli('train', ['--dataset', 'folder', '--out', out]));
    expect(stderr).toMatch(/dataset "folder" needs --data-dir/);
    expect(existsSync(out)).toBe(false);
  });
});
