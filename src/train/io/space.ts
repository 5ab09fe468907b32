import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputError } from './output-error';

/** Free bytes for an unprivileged writer, and the block size files are allocated in. */
export interface Space {
  free: number;
  block: number;
}

/**
 * The space of the disk `dir` is (or will be) on: a folder the command is about to create is
 * measured at its nearest existing ancestor.
 */
export async function spaceAt(dir: string): Promise<Space> {
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      const s = await statfs(at);
      return { free: s.bavail * s.bsize, block: s.bsize };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw e;
    }
  }
}

/** What files of these sizes take on a disk of `block`-byte blocks (each rounded up). */
const onDisk = (sizes: readonly number[], block: number) =>
  sizes.reduce((sum, b) => sum + Math.ceil(b / block) * block, 0);

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Refuses, before the work, to start one that cannot save its result: the files of `sizes`
 * (bytes; `atLeast` when they are lower bounds, e.g. one byte for a file of unknown size) do not
 * fit in `dir`'s free space.
 */
export async function checkFreeSpace(
  dir: string,
  sizes: readonly number[],
  what: string,
  atLeast = false,
): Promise<void> {
  const { free, block } = await spaceAt(dir);
  const need = onDisk(sizes, block);
  if (need > free) {
    throw new OutputError(
      `${what}: not enough free space in ${dir}: needs ${atLeast ? 'at least ' : ''}${formatBytes(need)}, ${formatBytes(free)} free`,
    );
  }
}

/** Write errors that mean the disk (or device) took no more bytes. */
const FULL: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system',
  EIO: 'input/output error',
};

/**
 * The message for a write of `bytes` into `dir` that failed because the disk was full, or null
 * for any other failure: it names the target, what it needed against what is free (statfs, after
 * the partial file is gone) and `kept` (what the failure left as it was).
 */
export async function diskFullError(
  e: unknown,
  target: string,
  dir: string,
  bytes: number,
  kept: string,
): Promise<OutputError | null> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined || !(code in FULL)) return null;
  const space = await spaceAt(dir).catch(() => null);
  return new OutputError(
    `cannot write ${target}: ${FULL[code]} (${code}): needs ${formatBytes(bytes)}, ` +
      `${space ? formatBytes(space.free) : 'an unknown amount'} free in ${dir}; ${kept}`,
    { cause: e },
  );
}
