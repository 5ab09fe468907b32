import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const tempPrefix = (path: string) => `.${basename(path)}.`;
const TEMP_SUFFIX = '.partial';

/**
 * Writes `chunks` to `path` so that a crash at any moment leaves either the old file or the
 * complete new one: write a temp file in the same folder, fsync it, rename it over the target,
 * then fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(
  path: string,
  chunks: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const dir = dirname(path);
  const temp = join(
    dir,
    `${tempPrefix(path)}${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
  const file = await open(temp, 'wx');
  try {
    try {
      for (const chunk of chunks instanceof Uint8Array ? [chunks] : chunks) {
        let written = 0;
        while (written < chunk.byteLength) {
          written += (await file.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
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
