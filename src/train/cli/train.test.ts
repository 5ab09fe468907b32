import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../io/checkpoint';

const cli = fileURLToPath(new URL('./train.ts', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-train-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI; `onOutput` sees stdout as it arrives and may signal the child. */
function train(args: string[], onOutput?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args]);
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

  it('rejects an unknown dataset with the list of known ones and a non-zero exit', async () => {
    const res = await train(['--dataset', 'mnits', '--out', join(dir, 'x')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unknown dataset "mnits"; known datasets: mnist/);
  });
});
