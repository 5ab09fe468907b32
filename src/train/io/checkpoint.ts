import { createHash } from 'node:crypto';
import { FileCheckError, readRegularFile } from '../../runtime/node/files';
import { writeFileAtomic } from './atomic';

/**
 * Checkpoint file: `QACCKPT1`, a u64 (little-endian) header length, a JSON header (space-padded
 * to a multiple of 8 bytes), then one blob with every tensor's float32 values back to back. The
 * header holds the free-form `meta` (step, config, RNG state, ...), each tensor's name, shape and
 * offset, and the blob's byte length and sha256, so truncation and corruption are both detected.
 */
const MAGIC = 'QACCKPT1';
const CHECKPOINT_VERSION = 1;
/**
 * Reads stop here: the largest preset's run (parameters, two Adam moments and EMA) is ~10 MB, so
 * a bigger file is not a checkpoint, and a read of one must end.
 */
const MAX_CHECKPOINT_BYTES = 1 << 30;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint {
  meta: JsonObject;
  tensors: Record<string, Tensor>;
}

interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset into the blob, in float32 elements. */
  offset: number;
}

interface Header {
  format: 'qac-checkpoint';
  version: number;
  meta: JsonObject;
  tensors: TensorEntry[];
  blobBytes: number;
  blobSha256: string;
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function encodeCheckpoint(ckpt: Checkpoint): Uint8Array[] {
  const entries: TensorEntry[] = [];
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const hash = createHash('sha256');
  for (const [name, { shape, data }] of Object.entries(ckpt.tensors)) {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || elements(shape) !== data.length) {
      throw new Error(
        `checkpoint tensor "${name}": shape [${shape}] does not hold ${data.length} values`,
      );
    }
    entries.push({ name, shape, offset });
    blobs.push(bytesOf(data));
    hash.update(bytesOf(data));
    offset += data.length;
  }
  const header: Header = {
    format: 'qac-checkpoint',
    version: CHECKPOINT_VERSION,
    meta: ckpt.meta,
    tensors: entries,
    blobBytes: offset * 4,
    blobSha256: hash.digest('hex'),
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((MAGIC.length + 8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.alloc(MAGIC.length + 8 + Buffer.byteLength(json));
  head.write(MAGIC, 0, 'latin1');
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)), MAGIC.length);
  head.write(json, MAGIC.length + 8, 'utf8');
  return [head, ...blobs];
}

/** Writes a checkpoint atomically: the previous file at `path` stays intact until this one is complete. */
export async function writeCheckpoint(path: string, ckpt: Checkpoint): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(ckpt));
}

function decodeCheckpoint(buf: Buffer, file: string): Checkpoint {
  const fail = (problem: string): never => {
    throw new Error(`checkpoint ${file}: ${problem}`);
  };
  if (buf.length < MAGIC.length + 8) fail(`truncated (${buf.length} bytes, no header)`);
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC)
    fail('not a QAC checkpoint (bad magic bytes)');
  const headerBytes = Number(buf.readBigUInt64LE(MAGIC.length));
  const blobStart = MAGIC.length + 8 + headerBytes;
  if (blobStart > buf.length)
    fail(`truncated inside the header (${buf.length} of at least ${blobStart} bytes)`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 8, blobStart)) as Header;
  } catch (e) {
    return fail(`corrupt header (${(e as Error).message})`);
  }
  if (header.format !== 'qac-checkpoint') fail('corrupt header (format field)');
  if (header.version > CHECKPOINT_VERSION)
    fail(`version ${header.version} is newer than this trainer reads`);
  const blob = buf.subarray(blobStart);
  if (blob.length !== header.blobBytes) {
    fail(`truncated or padded blob: ${blob.length} bytes, header says ${header.blobBytes}`);
  }
  if (createHash('sha256').update(blob).digest('hex') !== header.blobSha256)
    fail('corrupt data (sha256 mismatch)');
  const tensors: Record<string, Tensor> = {};
  for (const { name, shape, offset } of header.tensors) {
    const count = elements(shape);
    if (offset < 0 || (offset + count) * 4 > blob.length)
      fail(`tensor "${name}" lies outside the data`);
    const data = new Float32Array(count);
    bytesOf(data).set(blob.subarray(offset * 4, (offset + count) * 4));
    tensors[name] = { shape, data };
  }
  return { meta: header.meta, tensors };
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let buf: Buffer;
  try {
    buf = await readRegularFile(path, MAX_CHECKPOINT_BYTES);
  } catch (e) {
    const problem =
      e instanceof FileCheckError
        ? e.problem
        : `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new Error(`checkpoint ${path}: ${problem}`, { cause: e });
  }
  return decodeCheckpoint(buf, path);
}
