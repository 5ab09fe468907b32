import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { readRegularFile } from '../../runtime/node/files';

/** The lock file in a run folder while a `train` writes it. */
export const LOCK_FILE = 'train.lock';

const lockSchema = z.object({ pid: z.number().int(), host: z.string(), started: z.string() });
export type LockHolder = z.infer<typeof lockSchema>;

/** A run folder that another live process is training. */
export class RunLockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
    this.name = 'RunLockedError';
  }
}

export interface RunLock {
  /** The holder of a lock left by a process that no longer runs, which this lock replaced. */
  readonly staleHolder: LockHolder | null;
  /** Removes the lock (and the run folder, if taking the lock created it and it is still empty). */
  release(): Promise<void>;
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Whether `pid` runs here: signal 0 checks without sending anything (EPERM: alive, not ours). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

function parse(text: string): LockHolder | null {
  try {
    return lockSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

/** The lock's holder, 'gone' when the file vanished, 'garbled' when it is not a lock of ours. */
async function readHolder(path: string): Promise<LockHolder | 'gone' | 'garbled'> {
  try {
    return parse((await readRegularFile(path, 4096)).toString()) ?? 'garbled';
  } catch (e) {
    if (errno(e) === 'ENOENT') return 'gone';
    throw e;
  }
}

const same = (a: LockHolder, b: LockHolder) =>
  a.pid === b.pid && a.host === b.host && a.started === b.started;

function lockedMessage(dir: string, path: string, h: LockHolder): string {
  if (h.host !== hostname())
    return `--out ${dir}: a train on host ${h.host} (pid ${h.pid}, started ${h.started}) holds this run (${path}); if it no longer runs, delete that file`;
  return (
    `--out ${dir}: process ${h.pid} (started ${h.started}) is training this run (lock ${path}); ` +
    `wait for it to finish or stop it (Ctrl-C or SIGTERM saves a checkpoint), then use --resume` +
    ` (if process ${h.pid} is not a train, delete the lock file)`
  );
}

/**
 * Makes this process the one writer of the run folder `dir`: creates `dir/train.lock` holding
 * the pid, host and start time, or refuses (RunLockedError) while another live process holds it.
 * A lock whose pid no longer runs on this host is stale and is replaced. The lock appears whole
 * (written to a temp file, then hard-linked into place, which fails if one exists) and goes on
 * every exit path: release(), or process exit (process.exit, an uncaught error) through a
 * synchronous 'exit' hook. A kill -9 leaves a stale lock, which the next run takes over.
 */
export async function lockRun(dir: string): Promise<RunLock> {
  const full = resolve(dir);
  const firstCreated = await mkdir(full, { recursive: true });
  const path = join(full, LOCK_FILE);
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
  };
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, JSON.stringify(mine) + '\n', { flag: 'wx' });
  let staleHolder: LockHolder | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temp, path);
        break;
      } catch (e) {
        if (errno(e) !== 'EEXIST' || attempt >= 5) throw e;
      }
      const holder = await readHolder(path);
      if (holder === 'gone') continue;
      if (holder === 'garbled')
        throw new Error(
          `--out ${full}: ${path} is not a lock this trainer wrote; delete it if no train runs here`,
        );
      if (holder.host !== hostname() || running(holder.pid))
        throw new RunLockedError(lockedMessage(full, path, holder), holder);
      // Stale. Move it aside rather than unlink it: if another process took it over in between,
      // what was moved is that process's live lock, and it goes back.
      const aside = `${path}.${process.pid}.stale`;
      try {
        await rename(path, aside);
      } catch (e) {
        if (errno(e) === 'ENOENT') continue;
        throw e;
      }
      const moved = await readHolder(aside);
      if (typeof moved === 'object' && !same(moved, holder))
        await link(aside, path).catch(() => undefined);
      else staleHolder = holder;
      await unlink(aside).catch(() => undefined);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }

  const ours = () => {
    try {
      if (!lstatSync(path).isFile()) return false;
      const h = parse(readFileSync(path, 'utf8'));
      return h !== null && same(h, mine);
    } catch {
      return false;
    }
  };
  const onExit = () => {
    if (ours()) unlinkSync(path);
  };
  process.on('exit', onExit);
  let released = false;
  return {
    staleHolder,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      if (ours()) await unlink(path);
      // A refusal before the first write leaves no empty folder behind it.
      if (firstCreated === undefined) return;
      for (let d = full; d.length >= firstCreated.length; d = dirname(d)) {
        if (
          !(await rmdir(d).then(
            () => true,
            () => false,
          ))
        )
          break;
      }
    },
  };
}
