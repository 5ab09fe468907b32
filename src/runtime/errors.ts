/**
 * Every failure while loading or running a model names the file and, where it applies, the field
 * (a manifest path such as "files.encoder.sha256" or an ONNX input such as "x").
 */
export class ModelError extends Error {
  readonly file: string;
  readonly field: string | undefined;

  constructor(file: string, field: string | undefined, problem: string) {
    super(`${file}${field ? ` (${field})` : ''}: ${problem}`);
    this.name = 'ModelError';
    this.file = file;
    this.field = field;
  }
}
