import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSchema, type Evaluation, type Manifest } from '../../runtime';
import { resolveModelPath } from '../../runtime/node';
import { writeFileAtomic } from '../io/atomic';

/** Replaces the manifest's evaluation results; every file entry (and hash) stays as it is. */
export async function writeEvaluation(model: string, evaluation: Evaluation): Promise<Manifest> {
  const { dir, manifest } = await resolveModelPath(model);
  const path = join(dir, manifest);
  const current = manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const next = manifestSchema.parse({ ...current, evaluation });
  await writeFileAtomic(path, Buffer.from(JSON.stringify(next, null, 2) + '\n'));
  return next;
}
