import { ModelError } from '../errors';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, manifestSchema, type Manifest } from '../manifest';

/**
 * Parses and validates manifest text. The version is checked before the schema so that a manifest
 * from a newer exporter is reported as such rather than as a list of unknown fields.
 */
export function parseManifest(text: string, file = 'manifest.json'): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // Many static hosts answer a missing path with their index page: say so, not just "<".
    const page = /^\s*</.test(text)
      ? ': an HTML page came back, so there is probably no model at this URL'
      : '';
    throw new ModelError(file, undefined, `not valid JSON (${(e as Error).message})${page}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ModelError(file, undefined, 'expected a JSON object');
  }
  const obj = raw as Record<string, unknown>;
  if (obj.format !== MODEL_FORMAT) {
    throw new ModelError(
      file,
      'format',
      `expected "${MODEL_FORMAT}", got ${JSON.stringify(obj.format)}`,
    );
  }
  if (typeof obj.version === 'number' && obj.version > MODEL_FORMAT_VERSION) {
    throw new ModelError(
      file,
      'version',
      `format version ${obj.version} is newer than this runtime supports (${MODEL_FORMAT_VERSION}); update QAC Playground`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelError(file, issue.path.join('.') || undefined, issue.message);
  }
  return parsed.data;
}
