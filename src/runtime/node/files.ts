import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * A path a command must not open as a file: a FIFO, a device, a socket, a symlink loop, or a file
 * larger than the command expects. `problem` reads after the path ("grid.png: is a FIFO ...").
 * Nothing here imports onnxruntime, so the Node CLIs share these checks with the model loader.
 */
export class FileCheckError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'FileCheckError';
  }
}

/** What a special file is, for messages; null for a regular file, a folder or a symlink. */
function specialKind(s: Stats): string | null {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return null;
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** " (a link to /dev/zero)" when `path` itself is a symlink, so a message shows where it leads. */
async function linkNote(path: string): Promise<string> {
  const l = await lstat(path).catch(() => null);
  if (!l?.isSymbolicLink()) return '';
  const target = await readlink(path).catch(() => null);
  return target === null ? ' (a link)' : ` (a link to ${target})`;
}

/**
 * stat following symlinks, with null for "nothing there" (ENOENT, or a dangling link) and a
 * FileCheckError for a symlink loop: a bare "does not exist" sends the user looking elsewhere.
 */
export async function statFollow(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    if (errno(e) === 'ELOOP')
      throw new FileCheckError(path, 'is inside a symlink loop (ELOOP); fix or remove the links');
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
    throw e;
  }
}

/** Whether something is at path (after links); a loop or an unreadable parent throws, as above. */
export async function exists(path: string): Promise<boolean> {
  return (await statFollow(path)) !== null;
}

/**
 * Refuses a path that is a FIFO, device or socket (after following links), before anything opens
 * it: opening a FIFO blocks until a peer appears, and a device such as /dev/zero never ends.
 * `action` completes "refusing to ..." ("read it", "write to it"); `expected` is what the path
 * should have been.
 */
export async function refuseSpecial(
  path: string,
  s: Stats,
  action: string,
  expected = 'regular file',
): Promise<void> {
  const kind = specialKind(s);
  if (kind)
    throw new FileCheckError(
      path,
      `is ${kind}${await linkNote(path)}, not a ${expected}; refusing to ${action}`,
    );
}

/**
 * Reads a regular file of at most `maxBytes`: stat first (special files refused by name), then
 * open without blocking and check again on the open file (a swap between the two is caught), then
 * read no more than `maxBytes + 1` bytes, so a file that grows or lies about its size ends too.
 * ENOENT and EISDIR pass through as the usual errno errors. `limit` names the bound in messages
 * ("the 2,048 bytes the manifest lists"); by default "the N bytes expected".
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  limit = `the ${maxBytes.toLocaleString('en')} bytes expected`,
): Promise<Buffer> {
  const full = resolve(path);
  const s = await statFollow(full);
  if (s) {
    await refuseSpecial(path, s, 'read it');
    if (s.isFile() && s.size > maxBytes) throw tooLarge(path, s.size, limit);
  }
  const handle = await open(full, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    await refuseSpecial(path, opened, 'read it');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(opened.size - total, 65_536), maxBytes + 1 - total);
      if (want <= 0) break;
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes) throw tooLarge(path, null, limit);
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** `size` null: the file held more than its stat said (a /proc file, or one growing). */
const tooLarge = (path: string, size: number | null, limit: string) =>
  new FileCheckError(
    path,
    `${size === null ? 'holds' : `is ${size.toLocaleString('en')} bytes,`} more than ${limit}; not read`,
  );
