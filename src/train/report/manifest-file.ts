import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseManifest, type Manifest } from '../../runtime';
import { parseJsonFile } from '../io/json';

/** A model folder's manifest as it is on disk now (the report rewrites evaluations and cards). */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, 'manifest.json');
  return parseManifest(await readFile(path, 'utf8'), path);
}

/**
 * A JSON file the report keeps in a model folder, checked by `schema`; null when the folder has
 * none yet. A file that is there but unreadable or malformed is an error naming the file.
 */
export async function readStoredJson<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return parseJsonFile(text, path, schema);
}
