import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inModel, ModelError } from '../errors';
import {
  MAX_MANIFEST_BYTES,
  readModelFiles,
  type FileSource,
  type ModelFiles,
} from '../shared/files';

export { MAX_MANIFEST_BYTES } from '../shared/files';
import { openModel } from '../shared/model';
import { openSession } from '../shared/ort-port';
import type { LoadOptions, LoadedModel } from '../types';
import { epSessionOptions, type NodeEp } from './ep';
import { FileCheckError, readRegularFile } from './files';

export type { LoadedModel } from '../types';
export { checkNodeEp, NODE_EPS, type NodeEp } from './ep';

/**
 * Reads a model folder's files: each bounded by the manifest's declared bytes (the manifest by
 * MAX_MANIFEST_BYTES), and FIFOs, devices and sockets refused before they are opened, so a
 * denoiser.onnx that is a FIFO or a link to /dev/zero is named instead of hanging the loader.
 */
function folderSource(dir: string): FileSource {
  return {
    location: dir,
    async read(path, expected) {
      try {
        return new Uint8Array(
          await readRegularFile(
            join(dir, path),
            expected?.bytes ?? MAX_MANIFEST_BYTES,
            expected
              ? `the ${expected.bytes.toLocaleString('en')} bytes the manifest lists`
              : undefined,
          ),
        );
      } catch (e) {
        if (e instanceof FileCheckError) throw new ModelError(path, undefined, e.problem);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return null;
        throw new ModelError(path, undefined, `cannot read it in ${dir} (${code ?? e})`);
      }
    },
  };
}

/** Splits a model argument that is either a folder or a path to its manifest.json. */
export async function resolveModelPath(path: string): Promise<{ dir: string; manifest: string }> {
  const abs = resolve(path);
  const isDir = await stat(abs).then(
    (s) => s.isDirectory(),
    () => !abs.endsWith('.json'),
  );
  return isDir
    ? { dir: abs, manifest: 'manifest.json' }
    : { dir: dirname(abs), manifest: basename(abs) };
}

/**
 * A model folder's files, checked as the loader checks them (manifest schema, sizes, sha256) but
 * with no session opened: for the trainer, which starts a run from a model's parameters.
 */
export async function readModelFolder(path: string): Promise<ModelFiles> {
  const { dir, manifest } = await resolveModelPath(path);
  try {
    return await readModelFiles(folderSource(dir), {}, manifest);
  } catch (e) {
    throw inModel(e, dir);
  }
}

/** Options of the Node adapter. */
export interface NodeLoadOptions extends LoadOptions {
  /** The execution provider (default cpu; check it first with checkNodeEp). */
  ep?: NodeEp;
  /** ORT intra-op threads (default: QAC_ORT_THREADS, else ORT's, one per core). */
  threads?: number;
}

/**
 * QAC_ORT_THREADS caps every session that names no thread count. Where several processes share
 * the cores (the test runner's forks, two runs side by side) a second thread per session mostly
 * spins: one thread each sampled an import oracle in 12% less wall time with 44% less CPU.
 */
function envThreads(): number | undefined {
  const raw = process.env.QAC_ORT_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`QAC_ORT_THREADS must be a whole number of threads >= 1, not "${raw}"`);
  return n;
}

/** Loads a model folder (or its manifest.json) with onnxruntime-node, on the CPU by default. */
export async function loadModelNode(
  path: string,
  opts: NodeLoadOptions = {},
): Promise<LoadedModel> {
  const { dir, manifest } = await resolveModelPath(path);
  const ep = opts.ep ?? 'cpu';
  const options: ort.InferenceSession.SessionOptions = { ...epSessionOptions(ep) };
  const threads = opts.threads ?? envThreads();
  if (threads !== undefined) options.intraOpNumThreads = threads;
  try {
    const files = await readModelFiles(folderSource(dir), opts, manifest);
    const open = (bytes: Uint8Array, file: string) =>
      openSession(file, () => ort.InferenceSession.create(bytes, options), ort.Tensor);
    return await openModel(files, open, `node/${ep}`);
  } catch (e) {
    throw inModel(e, dir);
  }
}
