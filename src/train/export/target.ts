import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { manifestSchema } from '../../runtime';
import { MAX_MANIFEST_BYTES } from '../../runtime/node';
import {
  FileCheckError,
  readRegularFile,
  refuseSpecial,
  statFollow,
} from '../../runtime/node/files';
import { checkOutputFolder, OutputError, outputTarget } from '../io/outputs';

/**
 * Files of a model folder that eval and the report write beside the exported ones: evaluations of
 * the weights being replaced, so an export may drop them (the report's headline.json included).
 */
const EVAL_FILES = ['eval.json', 'eval.md', 'headline.json'];
/** Temp files an interrupted atomic write leaves (see io/atomic). */
const TEMP = /^\..+\.partial$/;

const list = (names: string[]) =>
  names.length > 5
    ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`
    : names.join(', ');

/** The files of `dir` that neither export nor eval wrote, or null when it is no model folder. */
async function foreignFiles(dir: string, names: string[]): Promise<string[] | null> {
  if (!names.includes('manifest.json')) return null;
  let text: string;
  try {
    // Bounded and special files refused: a manifest.json that is a FIFO must not hang the check.
    text = (await readRegularFile(join(dir, 'manifest.json'), MAX_MANIFEST_BYTES)).toString();
  } catch {
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return null;
  const own = new Set([
    'manifest.json',
    ...EVAL_FILES,
    ...Object.values(parsed.data.files).map((f) => f.path),
  ]);
  return names.filter((n) => !own.has(n) && !TEMP.test(n));
}

/**
 * Refuses, before the export does any work, to replace what the export did not create: `out` must
 * be missing, an empty folder, or a model folder holding only model and eval files; `force`
 * replaces anything. Also checks that the folder above takes new files (the export writes a
 * sibling temp folder and renames it into place). A symlink at `out` is followed (the folder it
 * leads to is what gets checked and replaced; a dangling one or a loop is refused), and a FIFO,
 * device or socket is refused even with `force`. Returns the folder to write.
 */
export async function checkExportTarget(out: string, force = false): Promise<string> {
  const what = `export: ${out}`;
  let full: string;
  let s;
  try {
    full = await outputTarget(out, what);
    s = await statFollow(full);
    if (s) await refuseSpecial(out, s, 'replace it', 'model folder');
  } catch (e) {
    throw e instanceof FileCheckError ? new OutputError(`${what} ${e.problem}`) : e;
  }
  if (!s) {
    await checkOutputFolder(full, 'export:');
    return full;
  }
  if (!force) {
    if (!s.isDirectory()) {
      throw new OutputError(
        `${what} is a file, not a model folder; refusing to replace it (pick another folder or pass --force)`,
      );
    }
    const names = (await readdir(full)).sort();
    if (names.length > 0) {
      const foreign = await foreignFiles(full, names);
      if (foreign === null) {
        throw new OutputError(
          `${what} is not empty and not a model folder (it holds ${list(names)}); refusing to replace it: pick a new or empty folder, or pass --force`,
        );
      }
      if (foreign.length > 0) {
        throw new OutputError(
          `${what} is a model folder that also holds files export did not write (${list(foreign)}); refusing to delete them: move them away, or pass --force`,
        );
      }
    }
  }
  await checkOutputFolder(dirname(full), 'export:');
  return full;
}
