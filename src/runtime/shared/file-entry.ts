import type { ModelFile } from '../manifest';
import { sha256Hex } from './hash';

/** The manifest entry (path, sha256, bytes) for a file an exporter is about to write. */
export async function fileEntry(path: string, bytes: Uint8Array): Promise<ModelFile> {
  return { path, sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
}
