/**
 * Every failure while loading or running a model names the file and, where it applies, the field
 * (a manifest path such as "files.encoder.sha256" or an ONNX input such as "x"). Once the loader
 * knows it, the model folder prefixes the file ("fashion-mnist-qac/manifest.json: ..."): the app
 * loads two models at once, and "manifest.json: not valid JSON" alone does not say which.
 */
export class ModelError extends Error {
  readonly file: string;
  readonly field: string | undefined;
  readonly problem: string;
  /** The model folder's name, once known. */
  readonly model: string | undefined;

  constructor(file: string, field: string | undefined, problem: string, model?: string) {
    super(`${model ? `${model}/` : ''}${file}${field ? ` (${field})` : ''}: ${problem}`);
    this.name = 'ModelError';
    this.file = file;
    this.field = field;
    this.problem = problem;
    this.model = model;
  }
}

/** The name a model folder goes by in messages: the last segment of its path or URL. */
function modelLabel(location: string): string {
  const parts = location.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? location;
}

/** `e` naming the model folder `location` if it is a ModelError that does not yet; else `e`. */
export function inModel(e: unknown, location: string): unknown {
  if (!(e instanceof ModelError) || e.model !== undefined) return e;
  return new ModelError(e.file, e.field, e.problem, modelLabel(location));
}
