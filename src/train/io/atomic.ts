import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { refuseSpecial } from '../../runtime/node/files';
import { OutputError } from './output-error';
import { outputTarget } from './outputs';
import { diskFullError } from './space';

const tempPrefix = (path: string) => `.${basename(path)}.`;
const TEMP_SUFFIX = '.partial';

/**
 * Writes `chunks` to `path` so that a crash at any moment leaves either the old file or the
 * complete new one: write a temp file in the same folder, fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable. Every file the CLIs write goes through
 * here. A symlink at `path` is written through (its target is replaced, the link stays); a FIFO or
 * device there is refused. When the disk is full (ENOSPC, or EFBIG/EIO/EDQUOT) the temp file is
 * removed and the error names `path`, the bytes needed and the bytes free.
 */
export async function writeFileAtomic(
  path: string,
  chunks: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const target = await outputTarget(path, `cannot write ${path}`);
  const existing = await stat(target).catch(() => null);
  if (existing) await refuseSpecial(path, existing, 'write to it');
  const list = chunks instanceof Uint8Array ? [chunks] : chunks;
  const dir = dirname(target);
  const temp = join(
    dir,
    `${tempPrefix(target)}${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
  try {
    const file = await open(temp, 'wx');
    try {
      for (const chunk of list) {
        let written = 0;
        while (written < chunk.byteLength) {
          written += (await file.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    const bytes = list.reduce((sum, c) => sum + c.byteLength, 0);
    const kept = existing ? 'the old file is unchanged' : 'nothing was written';
    throw (await diskFullError(e, path, dir, bytes, kept)) ?? e;
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/**
 * Deletes temp files that an interrupted writeFileAtomic (kill -9, power loss) left beside `path`.
 * Call it only when no other process is writing that path. Returns the names it removed.
 */
export async function removeStaleTemps(path: string): Promise<string[]> {
  const prefix = tempPrefix(path);
  const names = (await readdir(dirname(path)).catch(() => [] as string[])).filter(
    (n) => n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX),
  );
  await Promise.all(names.map((n) => unlink(join(dirname(path), n)).catch(() => undefined)));
  return names;
}

/**
 * Replaces the folder `dir` with one holding `files`, whole or not at all: every file goes into a
 * sibling temp folder, which is swapped in for `dir` by renames. A full disk removes the temp
 * folder and leaves `dir` as it was, with a message naming it and the bytes needed and free.
 */
export async function writeFolderAtomic(
  dir: string,
  files: readonly [string, Uint8Array][],
): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const temp = join(parent, `.${basename(dir)}.${process.pid}.partial`);
  const old = join(parent, `.${basename(dir)}.${process.pid}.old`);
  const hadOld = (await stat(dir).catch(() => null)) !== null;
  await rm(temp, { recursive: true, force: true });
  try {
    await mkdir(temp);
    for (const [name, bytes] of files) await writeFileAtomic(join(temp, name), bytes);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    const bytes = files.reduce((sum, [, b]) => sum + b.byteLength, 0);
    const kept = hadOld ? `${dir} is unchanged` : 'nothing was written';
    // A file's own disk-full message names the temp folder; name the folder being replaced.
    const cause = e instanceof OutputError && e.cause !== undefined ? e.cause : e;
    throw (await diskFullError(cause, dir, parent, bytes, kept)) ?? e;
  }
  if (hadOld) await rename(dir, old);
  await rename(temp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
