import { ModelError } from '../errors';
import type { Manifest, ModelFile } from '../manifest';
import type { SparseWeights } from '../../core';
import type { LoadOptions } from '../types';
import { sha256Hex } from './hash';
import { parseManifest } from './parse-manifest';
import { parseSparseWeights } from './weights';

/** A manifest is a few kB: a larger answer is not a manifest, and reading it must end. */
export const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * Where an adapter gets a model folder's files from. `read` returns null when the file does not
 * exist; `expected` lets a caching source reject a stale cached copy before returning it.
 */
export interface FileSource {
  /** Human-readable location used in error messages (a folder or a base URL). */
  readonly location: string;
  read(path: string, expected?: ModelFile): Promise<Uint8Array | null>;
}

/** The verified contents of a model folder, before any ORT session exists. */
export interface ModelFiles {
  manifest: Manifest;
  denoiser: Uint8Array;
  encoder: Uint8Array | null;
  weights: SparseWeights | null;
}

async function readManifest(source: FileSource, manifestPath = 'manifest.json'): Promise<Manifest> {
  const bytes = await source.read(manifestPath);
  if (!bytes) throw new ModelError(manifestPath, undefined, `missing in ${source.location}`);
  return parseManifest(new TextDecoder().decode(bytes), manifestPath);
}

/** Reads one listed file and checks its size and sha256 against the manifest. */
async function readVerified(
  source: FileSource,
  role: string,
  entry: ModelFile,
  opts: LoadOptions,
): Promise<Uint8Array> {
  const bytes = await source.read(entry.path, entry);
  if (!bytes) {
    throw new ModelError(entry.path, `files.${role}`, `missing in ${source.location}`);
  }
  if (bytes.byteLength !== entry.bytes) {
    throw new ModelError(
      entry.path,
      `files.${role}.bytes`,
      `size ${bytes.byteLength} differs from the manifest's ${entry.bytes} (truncated or replaced file)`,
    );
  }
  if (!opts.skipHashCheck) {
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) {
      throw new ModelError(
        entry.path,
        `files.${role}.sha256`,
        `sha256 mismatch: file has ${actual}, manifest expects ${entry.sha256}`,
      );
    }
  }
  return bytes;
}

export async function readModelFiles(
  source: FileSource,
  opts: LoadOptions = {},
  manifestPath?: string,
): Promise<ModelFiles> {
  const manifest = await readManifest(source, manifestPath);
  const { files } = manifest;
  const [denoiser, encoder, weightBytes] = await Promise.all([
    readVerified(source, 'denoiser', files.denoiser, opts),
    files.encoder ? readVerified(source, 'encoder', files.encoder, opts) : null,
    files.weights ? readVerified(source, 'weights', files.weights, opts) : null,
    readVerified(source, 'card', files.card, opts),
  ]);
  let weights: SparseWeights | null = null;
  if (weightBytes && manifest.code) {
    const { bits, levels } = manifest.code;
    weights = parseSparseWeights(weightBytes, levels ** bits, files.weights!.path);
  }
  return { manifest, denoiser, encoder, weights };
}
