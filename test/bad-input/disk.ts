import { execFile } from 'node:child_process';
import { mkdir, open, readdir, rm, statfs, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A small tmpfs the tests can fill: a real full disk, so ENOSPC comes from the kernel. */
export interface Tmpfs {
  dir: string;
  /** Fills the disk, leaving `leave` bytes (a multiple of the 4 KiB page) free. */
  fill(leave?: number): Promise<void>;
  /** Removes the filler and everything else, keeping the mount. */
  empty(): Promise<void>;
  unmount(): Promise<void>;
}

const FILLER = 'filler.bin';

/**
 * Mounts a tmpfs of `size` (mount's syntax: "256k") at `parent/name`; resolves to a sentence
 * saying why not when this process may not mount (not root, or a container without the right).
 */
export async function mountTmpfs(
  parent: string,
  name: string,
  size: string,
): Promise<Tmpfs | string> {
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch (e) {
    return `mount -t tmpfs is not permitted here (${(e as Error).message.split('\n')[0]})`;
  }
  return {
    dir,
    async fill(leave = 0) {
      const { bavail, bsize } = await statfs(dir);
      const handle = await open(join(dir, FILLER), 'w');
      try {
        await handle.write(Buffer.alloc(bavail * bsize, 1));
      } finally {
        await handle.close();
      }
      if (leave > 0) await truncate(join(dir, FILLER), bavail * bsize - leave);
    },
    async empty() {
      for (const n of await readdir(dir)) await rm(join(dir, n), { recursive: true, force: true });
    },
    async unmount() {
      await run('umount', [dir]);
    },
  };
}

/** Names in `dir` that look like temp files a writer left (atomic writes use `.NAME.*.partial`). */
export const leftovers = async (dir: string) =>
  (await readdir(dir)).filter((n) => n.includes('.partial') || n.includes('.old'));
