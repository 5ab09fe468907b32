// One writer per run (issue 22): `train` locks its run folder with its pid, a second `train` or
// `--resume` of the same run is refused naming that pid, a lock whose process is gone is taken
// over, the lock goes on every exit path, and SIGTERM and SIGHUP save a checkpoint as Ctrl-C does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/train/io/checkpoint';
import { cliArgs, refused, removeTree, ROOT, runCli, tempDir, type CliResult } from './helpers';
import { trainTinyRun } from './tiny-run';

const TINY_RUN = [
  ...['--dataset', 'mnist', '--limit', '64', '--preset', 'tiny', '--batch', '8'],
  ...['--threads', '1', '--warmup', '0'],
];

let scratch: string;
let run: string;
const lockFile = () => join(run, 'train.lock');
const stepOf = async () => (await readCheckpoint(join(run, 'checkpoint.ckpt'))).meta.step as number;

beforeAll(async () => {
  scratch = await tempDir('lock');
  run = join(scratch, 'run');
  await trainTinyRun(run);
}, 60_000);
afterAll(() => removeTree(scratch));

interface Running {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with everything the process printed once it has ended. */
  ended: Promise<CliResult>;
}

/** A long `train --resume` of the run. */
const resumeForever = () => [...TINY_RUN, '--steps', '1000000', '--out', run, '--resume'];

/**
 * A long `train --resume` of the run (node directly, or `npm run train` in its own process group
 * as a terminal runs it), resolved once its steps have started.
 */
async function startTraining(via: 'node' | 'npm'): Promise<Running> {
  const args = resumeForever();
  const child =
    via === 'node'
      ? spawn(process.execPath, cliArgs('train', args), { cwd: ROOT })
      : spawn('npm', ['run', '--silent', 'train', '--', ...args], { cwd: ROOT, detached: true });
  let stdout = '';
  let stderr = '';
  const started = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Into the steps, so a signal lands while one is running.
      if (stdout.includes('parameters:')) setTimeout(resolve, 300);
    }),
  );
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  await Promise.race([started, ended]);
  return { child, ended };
}

/** The pid in the lock file. */
const lockPid = async () => (JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number }).pid;

/** Checks a run stopped by a signal: it saved the step it names, and let go of the lock. */
async function expectSaved(res: CliResult, signalName: string) {
  expect(res.stderr).toContain(
    `${signalName}: saving ${join(run, 'checkpoint.ckpt')} after this step`,
  );
  const stopped = Number(/stopped at step (\d+)/.exec(res.stdout)?.[1]);
  expect(stopped, res.stdout + res.stderr).toBeGreaterThan(2);
  expect(await stepOf()).toBe(stopped);
  expect(existsSync(lockFile())).toBe(false);
}

describe('train: one writer per run', () => {
  it('a second train --resume, or a fresh train, of a run being trained is refused naming the pid; SIGTERM then saves the first', async () => {
    const first = await startTraining('node');
    try {
      expect(await lockPid()).toBe(first.child.pid);
      const [resume, fresh] = await Promise.all([
        runCli('train', [...TINY_RUN, '--steps', '1000', '--out', run, '--resume']),
        runCli('train', [...TINY_RUN, '--steps', '1000', '--out', run]),
      ]);
      const message = new RegExp(
        `--out .*run: process ${first.child.pid} \\(started [^)]+\\) is training this run \\(lock .*run/train\\.lock\\); wait for it to finish or stop it`,
      );
      for (const res of [resume, fresh]) {
        expect(refused(res)).toMatch(message);
        expect(res.stdout).not.toContain('parameters:');
      }
      expect(await lockPid()).toBe(first.child.pid);
    } finally {
      first.child.kill('SIGTERM');
    }
    const res = await first.ended;
    expect(res.code, res.stderr).toBe(0);
    await expectSaved(res, 'SIGTERM');
  }, 120_000);

  it('SIGHUP to `npm run train` (the terminal closed) saves like Ctrl-C, and frees the lock', async () => {
    const training = await startTraining('npm');
    process.kill(-training.child.pid!, 'SIGHUP');
    await expectSaved(await training.ended, 'SIGHUP (terminal closed)');
  }, 120_000);

  it('kill -9 leaves a stale lock, which the next --resume takes over (saying whose it was)', async () => {
    const training = await startTraining('node');
    const pid = training.child.pid!;
    training.child.kill('SIGKILL');
    await training.ended;
    expect(await lockPid()).toBe(pid);
    const step = await stepOf();
    const res = await runCli('train', [
      ...[...TINY_RUN, '--steps', String(step + 2), '--out', run, '--resume'],
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      new RegExp(
        `note: took over the lock of process ${pid} \\(started [^)]+\\), which no longer runs`,
      ),
    );
    expect(res.stdout).toContain(`done at step ${step + 2}`);
    expect(await stepOf()).toBe(step + 2);
    expect(existsSync(lockFile())).toBe(false);
  }, 120_000);
});
