import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockRun, RunLockedError } from './run-lock';

const HOLDER = fileURLToPath(new URL('./testing/lock-holder.ts', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-lock-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A lock-holder child on `run`; resolves with it once it printed its first line. */
function holder(run: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, run], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const first = new Promise<string>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, first, exited };
}

/** A pid that ran and has ended, so it runs no longer. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

/** A lock file as a process on this host would have left it. */
const staleLock = (run: string, pid: number) =>
  writeFile(join(run, LOCK_FILE), JSON.stringify({ pid, host: hostname(), started: 'then' }));

describe('run lock', () => {
  it('refuses a second holder with the first one pid, and is gone after release', async () => {
    const run = join(dir, 'two');
    await mkdir(run);
    const lock = await lockRun(run);
    const err = await lockRun(run).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as RunLockedError).holder.pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(run)).toEqual([]);
  });

  it('removes the run folder it created when released before anything was written', async () => {
    const run = join(dir, 'new', 'deeper');
    await (await lockRun(run)).release();
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('is released when the process exits through process.exit with the lock held', async () => {
    const run = join(dir, 'exit');
    const h = holder(run);
    expect(await h.first).toBe('locked');
    expect(existsSync(join(run, LOCK_FILE))).toBe(true);
    h.child.stdin.write('exit\n');
    expect(await h.exited).toBe(3);
    expect(existsSync(join(run, LOCK_FILE))).toBe(false);
  });

  it('takes over a stale lock, and of four processes racing for it exactly one wins', async () => {
    const run = join(dir, 'race');
    await mkdir(run);
    const dead = deadPid();
    await staleLock(run, dead);
    const racers = [holder(run), holder(run), holder(run), holder(run)];
    const lines = await Promise.all(racers.map((r) => r.first));
    // One takes the lock: the one that moved the stale lock aside ("locked over PID"), or one that
    // linked its own in the moment after; every other is refused with the winner's pid.
    const winners = lines.filter((l) => l.startsWith('locked'));
    expect(winners).toHaveLength(1);
    expect([`locked over ${dead}`, 'locked']).toContain(winners[0]);
    const winner = racers[lines.findIndex((l) => l.startsWith('locked'))]!;
    for (const l of lines.filter((l) => !l.startsWith('locked')))
      expect(l).toBe(`refused ${winner.child.pid}`);
    winner.child.stdin.end('release\n');
    await Promise.all(racers.map((r) => r.exited));
    expect(await readdir(run)).toEqual([]);
  }, 60_000);

  it('refuses a lock file it did not write instead of deleting it', async () => {
    const run = join(dir, 'garbled');
    await mkdir(run);
    await writeFile(join(run, LOCK_FILE), 'not json');
    await expect(lockRun(run)).rejects.toThrow(/train\.lock is not a lock this trainer wrote/);
    expect(await readdir(run)).toEqual([LOCK_FILE]);
  });
});
