import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic';

/** NumPy .npy version 1.0, float32 little-endian, C order: what `numpy.load` reads directly. */
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** The bytes of a float32 .npy of `shape`, so a caller can check the disk has room before the work. */
export const npyBytes = (shape: readonly number[]) =>
  npyHeader(shape).length + 4 * shape.reduce((a, b) => a * b, 1);

export function encodeNpy(data: Float32Array, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`npy: shape [${shape}] holds ${count} values, got ${data.length}`);
  return Buffer.concat([
    npyHeader(shape),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

function npyHeader(shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Magic, version and length take 10 bytes; pad so the data starts on a 64-byte boundary.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10 + header.length);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  return head;
}

export function decodeNpy(buf: Buffer, file: string): { data: Float32Array; shape: number[] } {
  const fail = (problem: string): never => {
    throw new Error(`npy ${file}: ${problem}`);
  };
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC))
    fail('not a .npy file (bad magic bytes)');
  const major = buf[6]!;
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = 8 + lenBytes + headerLen;
  if (start > buf.length) fail('truncated header');
  const header = buf.toString('latin1', 8 + lenBytes, start);
  if (!/'descr':\s*'<f4'/.test(header))
    fail(`only float32 ('<f4') is supported, header: ${header.trim()}`);
  if (!/'fortran_order':\s*False/.test(header)) fail('only C order is supported');
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header) ?? fail('header has no shape');
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length - start !== count * 4)
    fail(`holds ${buf.length - start} data bytes, shape [${shape}] needs ${count * 4}`);
  const data = new Float32Array(count);
  new Uint8Array(data.buffer).set(buf.subarray(start));
  return { data, shape };
}

export const writeNpy = (path: string, data: Float32Array, shape: readonly number[]) =>
  writeFileAtomic(path, encodeNpy(data, shape));

export async function readNpy(path: string): Promise<{ data: Float32Array; shape: number[] }> {
  return decodeNpy(await readFile(path), path);
}
