import * as ort from 'onnxruntime-web';
import { readModelFiles } from '../shared/files';
import { openModel } from '../shared/model';
import { openSession } from '../shared/ort-port';
import type { LoadedModel, WebLoadOptions } from '../types';
import { webSource } from './source';

export type { LoadedModel, WebLoadOptions } from '../types';

const DEFAULT_CACHE = 'qac-playground-models';

async function webGpuAvailable(): Promise<boolean> {
  const gpu = (
    globalThis.navigator as
      (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined
  )?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/**
 * Loads a model folder served under `baseUrl` with onnxruntime-web: WebGPU when asked for and
 * available (falling back to wasm if a session cannot be created on it), wasm otherwise.
 */
export async function loadModelWeb(
  baseUrl: string,
  opts: WebLoadOptions = {},
): Promise<LoadedModel> {
  // Node has no cross-origin isolation story for wasm threads; one thread keeps tests deterministic.
  if (typeof process !== 'undefined' && process.versions?.node) ort.env.wasm.numThreads = 1;
  const fetchFn = opts.fetch ?? ((url: string, init?: RequestInit) => globalThis.fetch(url, init));
  const cacheName = opts.cacheName === undefined ? DEFAULT_CACHE : opts.cacheName;
  const source = await webSource(baseUrl, fetchFn, cacheName);
  const files = await readModelFiles(source, opts);

  const providers: string[][] = [['wasm']];
  if (opts.preferWebGpu && (await webGpuAvailable())) providers.unshift(['webgpu']);
  let lastError: unknown;
  for (const executionProviders of providers) {
    const open = (bytes: Uint8Array, file: string) =>
      openSession(
        file,
        () => ort.InferenceSession.create(bytes, { executionProviders }),
        ort.Tensor,
      );
    try {
      return await openModel(files, open, `web/${executionProviders[0]}`);
    } catch (e) {
      lastError = e;
      if (executionProviders[0] === 'wasm') break;
    }
  }
  throw lastError;
}
