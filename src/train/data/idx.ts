import { gunzipSync } from 'node:zlib';

/** An IDX array of unsigned bytes (the only type MNIST-style files use). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an IDX file (optionally gzip-compressed): two zero bytes, a type byte (0x08 = ubyte), the
 * number of dimensions, each dimension as a big-endian u32, then the data. Every inconsistency is
 * reported with the file's name.
 */
export function parseIdx(raw: Uint8Array, name: string): IdxArray {
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new Error(`${name}: corrupt or truncated gzip data (${(e as Error).message})`, {
        cause: e,
      });
    }
  }
  if (bytes.length < 4)
    throw new Error(`${name}: truncated IDX file (${bytes.length} bytes, no header)`);
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw new Error(`${name}: not an IDX file (bad magic bytes)`);
  if (bytes[2] !== 0x08) {
    throw new Error(
      `${name}: IDX element type 0x${bytes[2]!.toString(16)} is not unsigned byte (0x08)`,
    );
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) throw new Error(`${name}: IDX rank ${rank} is not between 1 and 4`);
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw new Error(`${name}: truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== count) {
    throw new Error(
      `${name}: IDX dims [${dims.join(', ')}] need ${count} data bytes, file has ${bytes.length - start} (truncated or corrupt)`,
    );
  }
  return { dims, data: bytes.subarray(start) };
}
