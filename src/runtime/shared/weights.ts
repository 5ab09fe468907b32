import { parseWeights, type SparseWeights } from '../../core';
import { ModelError } from '../errors';

/** core's weights.bin parser, with failures reported under the file's name. */
export function parseSparseWeights(
  bytes: Uint8Array,
  codebookSize: number,
  file: string,
): SparseWeights {
  const copy = bytes.slice().buffer;
  try {
    return parseWeights(copy, codebookSize - 1);
  } catch (e) {
    throw new ModelError(file, undefined, (e as Error).message);
  }
}
