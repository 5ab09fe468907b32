import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../io/checkpoint';
import { cliArgs } from './bundles.testkit';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-train-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI; `onOutput` sees stdout as it arrives and may signal the child. */
function train(args: string[], onOutput?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, cliArgs('train', args));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onOutput?.(stdout, () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('train CLI', () => {
  it('Ctrl-C saves a checkpoint and exits cleanly', async () => {
    const out = join(dir, 'interrupted');
    let sent = false;
    const res = await train(
      [
        ...['--dataset', 'mnist', '--limit', '256', '--preset', 'tiny', '--batch', '8'],
        ...['--steps', '100000', '--threads', '1', '--out', out],
      ],
      (text, kill) => {
        if (!sent && text.includes('parameters:')) {
          sent = true;
          kill();
        }
      },
    );
    expect(res.code).toBe(0);
    const stopped = /stopped at step (\d+)/.exec(res.stdout);
    expect(stopped, res.stdout + res.stderr).not.toBeNull();
    const { meta } = await readCheckpoint(join(out, 'checkpoint.ckpt'));
    expect(meta.step).toBe(Number(stopped![1]));
    expect((await readdir(out)).sort()).toEqual(['checkpoint.ckpt', 'config.json']);
  });

  it('kill -9 at any moment leaves a loadable last checkpoint that --resume continues from', async () => {
    const out = join(dir, 'killed');
    const ckpt = join(out, 'checkpoint.ckpt');
    const args = [
      ...['--dataset', 'mnist', '--limit', '256', '--preset', 'tiny', '--batch', '8'],
      ...['--steps', '100000', '--threads', '1', '--checkpoint-every', '1', '--out', out],
    ];
    const savedStep = async () =>
      existsSync(ckpt) ? Number((await readCheckpoint(ckpt)).meta.step) : 0;
    let last = 0;
    // Different delays land the kill in different phases: mid-step, mid-write, between writes.
    for (const delayMs of [0, 45, 160, 290]) {
      const child = spawn(
        process.execPath,
        cliArgs('train', [...args, ...(last > 0 ? ['--resume'] : [])]),
      );
      const exited = new Promise((done) => child.on('close', done));
      const deadline = Date.now() + 60_000;
      while ((await savedStep()) <= last) {
        if (Date.now() > deadline) throw new Error('no new checkpoint within 60 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      const step = await savedStep();
      expect(step).toBeGreaterThan(last);
      last = step;
    }
  }, 240_000);

  it('rejects an unknown dataset with the list of known ones and a non-zero exit', async () => {
    const res = await train(['--dataset', 'mnits', '--out', join(dir, 'x')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unknown dataset "mnits"; known datasets: mnist/);
  });
});
