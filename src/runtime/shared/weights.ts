import { ModelError } from '../errors';
import type { SparseWeights } from '../types';

/** Reads weights.bin: little-endian (u32 code index, f32 weight) pairs, heaviest first. */
export function parseSparseWeights(
  bytes: Uint8Array,
  codebookSize: number,
  file: string,
): SparseWeights {
  if (bytes.byteLength % 8 !== 0) {
    throw new ModelError(
      file,
      undefined,
      `${bytes.byteLength} bytes is not a whole number of 8-byte (index, weight) pairs`,
    );
  }
  const n = bytes.byteLength / 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const index = new Uint32Array(n);
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    index[i] = view.getUint32(8 * i, true);
    weight[i] = view.getFloat32(8 * i + 4, true);
    if (index[i]! >= codebookSize) {
      throw new ModelError(
        file,
        `pair ${i}`,
        `code index ${index[i]} is outside the codebook of ${codebookSize} codes`,
      );
    }
    if (!(weight[i]! >= 0) || !Number.isFinite(weight[i]!)) {
      throw new ModelError(
        file,
        `pair ${i}`,
        `weight ${weight[i]} is not a finite non-negative number`,
      );
    }
  }
  if (n === 0) throw new ModelError(file, undefined, 'holds no codes');
  return { index, weight };
}
