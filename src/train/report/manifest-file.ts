import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSchema, type Manifest } from '../../runtime';

/** A model folder's manifest as it is on disk now (the report rewrites evaluations and cards). */
export async function readManifest(dir: string): Promise<Manifest> {
  return manifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
}
