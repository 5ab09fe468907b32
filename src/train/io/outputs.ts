import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileCheckError, refuseSpecial, statFollow } from '../../runtime/node/files';
import { OutputError } from './output-error';
import { checkFreeSpace } from './space';

export { OutputError } from './output-error';

/** What kind of file a command writes, so it replaces only files of that kind. */
export interface FileKind {
  /** For the message, e.g. "PNG". */
  name: string;
  /** Whether the first bytes of an existing file show it is of this kind. */
  matches: (head: Uint8Array) => boolean;
}

const startsWith = (magic: readonly number[]) => (head: Uint8Array) =>
  magic.every((b, i) => head[i] === b);

export const PNG_FILE: FileKind = {
  name: 'PNG',
  matches: startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
};
export const NPY_FILE: FileKind = {
  name: '.npy',
  matches: startsWith([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]),
};

/**
 * stat following links; null when nothing is there. A symlink loop or a special file is an
 * OutputError naming `path` (which is left out when it is the output itself: `what` names it).
 */
async function statOf(path: string, what: string, self = false): Promise<Stats | null> {
  try {
    return await statFollow(path);
  } catch (e) {
    if (e instanceof FileCheckError)
      throw new OutputError(`${what}: ${self ? '' : `${path} `}${e.problem}`);
    throw e;
  }
}

/** Refuses a FIFO, device or socket at an output path, --force or not: writing one blocks or is lost. */
async function refuseSpecialOutput(
  path: string,
  s: Stats,
  what: string,
  expected?: string,
): Promise<void> {
  await refuseSpecial(path, s, 'write to it', expected).catch((e: unknown) => {
    throw e instanceof FileCheckError ? new OutputError(`${what}: ${e.problem}`) : e;
  });
}

/**
 * Where a write to `path` lands: `path` itself, or the file a symlink at `path` leads to (written
 * in place, so the link stays a link). A dangling link is refused: replacing it would destroy the
 * link, and creating its target may write somewhere the user did not mean.
 */
export async function outputTarget(path: string, what: string): Promise<string> {
  const full = resolve(path);
  const l = await lstat(full).catch(() => null);
  if (!l?.isSymbolicLink()) return full;
  try {
    return await realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw new OutputError(`${what}: is inside a symlink loop (ELOOP); fix or remove the links`);
    const to = await readlink(full).catch(() => '?');
    throw new OutputError(
      `${what}: is a symlink to ${to}, which does not exist; refusing to replace the link (give the target's path)`,
    );
  }
}

const reason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (e as Error).message;
};

/**
 * Proves that `dir` takes new files by creating and deleting an empty one: permission bits do not
 * tell (root ignores them, read-only mounts and /proc do not show in them).
 */
async function probeWritable(dir: string, what: string): Promise<void> {
  const probe = resolve(dir, `.qac-write-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
  let handle: FileHandle;
  try {
    handle = await open(probe, 'wx');
  } catch (e) {
    throw new OutputError(`${what}: cannot create files in ${dir} (${reason(e)})`);
  }
  await handle.close();
  await unlink(probe);
}

/**
 * The nearest folder at or above `path` that exists. Walked by hand: mkdir -p under /proc loops
 * forever in Node 20, so nothing may be created before the location is known to take files.
 */
async function nearestFolder(path: string, what: string): Promise<string> {
  let dir = resolve(path);
  for (;;) {
    const s = await statOf(dir, what);
    if (s) {
      if (!s.isDirectory()) throw new OutputError(`${what}: ${dir} is a file, not a folder`);
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new OutputError(`${what}: no folder of ${path} exists`);
    dir = up;
  }
}

async function readHead(path: string, what: string): Promise<Uint8Array> {
  // Non-blocking and checked again once open: a FIFO swapped in after the stat must not hang.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    await refuseSpecialOutput(path, await handle.stat(), what);
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Checks, before any work, that `path` can be written as a `kind` file: its folder exists and
 * takes new files, and anything already there is a file of that kind (unless `force`), so a slip
 * such as `--out models/NAME/manifest.json` is refused instead of destroying the file.
 */
export async function checkOutputFile(
  path: string,
  opts: { what: string; kind: FileKind; force?: boolean },
): Promise<string> {
  const full = resolve(path);
  const what = `${opts.what} ${path}`;
  const dir = dirname(full);
  const folder = await statOf(dir, what);
  if (!folder) throw new OutputError(`${what}: the folder ${dir} does not exist (create it first)`);
  if (!folder.isDirectory()) throw new OutputError(`${what}: ${dir} is a file, not a folder`);
  const target = await outputTarget(full, what);
  const existing = await statOf(target, what, true);
  if (existing?.isDirectory()) throw new OutputError(`${what}: is a folder; give a file name`);
  if (existing) await refuseSpecialOutput(path, existing, what);
  if (existing && !opts.force) {
    const head = await readHead(target, what).catch((e: unknown) => {
      if (e instanceof OutputError) throw e;
      throw new OutputError(`${what}: exists and cannot be read (${reason(e)})`);
    });
    if (!opts.kind.matches(head)) {
      throw new OutputError(
        `${what}: exists and is not a ${opts.kind.name} file; refusing to overwrite it (pick another name or pass --force)`,
      );
    }
  }
  await probeWritable(dirname(target), what);
  return full;
}

/**
 * Checks, before any work, that files can be written into the folder `path`: it is a folder or
 * does not exist yet, and the nearest existing folder above it takes new files. With `atLeast`
 * (lower bounds of the files' sizes), its disk must also have room for them.
 */
export async function checkOutputFolder(
  path: string,
  what: string,
  atLeast?: readonly number[],
): Promise<string> {
  const full = resolve(path);
  const label = `${what} ${path}`;
  const existing = await statOf(full, label, true);
  if (existing) await refuseSpecialOutput(path, existing, label, 'folder');
  if (existing && !existing.isDirectory()) {
    throw new OutputError(`${label}: is a file, not a folder`);
  }
  const nearest = await nearestFolder(full, label);
  await probeWritable(nearest, label);
  if (atLeast) await checkFreeSpace(nearest, atLeast, label, true);
  return full;
}
