import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { decodeImage, toTensor } from './image';
import type { ImageDataset, LoadDatasetOptions } from './types';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/**
 * Any folder of PNG/JPEG files, resized to `size` (default 32) with `channels` (default 3). Files
 * directly inside form one class named after the folder; each subfolder is a class of its own
 * (the usual image-folder layout). All unreadable files are reported together, by name.
 */
export async function loadFolder(opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const dir = opts.dataDir;
  if (!dir)
    throw new Error('dataset "folder" needs --data-dir pointing at a folder of PNG/JPEG images');
  const size = opts.size ?? 32;
  const channels = opts.channels ?? 3;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw new Error(`dataset folder ${dir}: cannot read (${(e as NodeJS.ErrnoException).code})`, {
      cause: e,
    });
  }
  const files = entries
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new Error(`dataset folder ${dir}: no .png, .jpg or .jpeg files`);
  const kept = files.slice(0, opts.limit ?? files.length);
  const classOf = (file: string) => {
    const rel = relative(dir, file).split(/[\\/]/);
    return rel.length > 1 ? rel[0]! : basename(dir);
  };
  const classNames = [...new Set(kept.map(classOf))].sort();
  const per = channels * size * size;
  const images = new Float32Array(kept.length * per);
  const labels = new Int32Array(kept.length);
  const failures: string[] = [];
  for (const [i, file] of kept.entries()) {
    try {
      images.set(toTensor(decodeImage(await readFile(file), file), size, channels), i * per);
    } catch (e) {
      failures.push((e as Error).message);
    }
    labels[i] = classNames.indexOf(classOf(file));
  }
  if (failures.length > 0) {
    throw new Error(
      `dataset folder ${dir}: ${failures.length} unreadable file(s):\n  ${failures.join('\n  ')}`,
    );
  }
  return {
    name: 'folder',
    channels,
    height: size,
    width: size,
    count: kept.length,
    images,
    labels,
    classNames,
    // The folder's name only: cards must not carry machine paths.
    source: `image folder "${basename(dir)}"`,
  };
}
