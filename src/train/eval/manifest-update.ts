import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  manifestSchema,
  parseManifest,
  type Evaluation,
  type Manifest,
  type SolverResult,
} from '../../runtime';
import { resolveModelPath } from '../../runtime/node';
import { writeFileAtomic } from '../io/atomic';

const key = (r: SolverResult) => `${r.solver}/${r.nfe}/${r.afs ?? false}`;

/**
 * Records evaluation results in the manifest; every file entry (and hash) stays as it is. Results
 * measured the same way (samples, classifier, seed) are merged, a new setting replacing an old one
 * with the same solver, NFE and AFS; results measured differently replace the old ones.
 */
export async function writeEvaluation(model: string, evaluation: Evaluation): Promise<Manifest> {
  const { dir, manifest } = await resolveModelPath(model);
  const path = join(dir, manifest);
  const current = parseManifest(await readFile(path, 'utf8'), path);
  const old = current.evaluation;
  const comparable =
    old &&
    old.samples === evaluation.samples &&
    old.classifier === evaluation.classifier &&
    old.seed === evaluation.seed;
  const fresh = new Set(evaluation.results.map(key));
  const results = comparable
    ? [...old.results.filter((r) => !fresh.has(key(r))), ...evaluation.results]
    : evaluation.results;
  const next = manifestSchema.parse({ ...current, evaluation: { ...evaluation, results } });
  await writeFileAtomic(path, Buffer.from(JSON.stringify(next, null, 2) + '\n'));
  return next;
}
