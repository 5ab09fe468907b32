import type { InferenceSession } from 'onnxruntime-common';
import type * as Ort from 'onnxruntime-web';

export type OrtWeb = typeof Ort;

let gpu: Promise<OrtWeb> | null = null;
let light: Promise<OrtWeb> | null = null;

/**
 * Whether wasm can suspend on a JS promise (JSPI: WebAssembly.Suspending), which the smaller
 * build of the native WebGPU EP needs; elsewhere the asyncify build does the same job.
 */
function hasJspi(): boolean {
  return typeof WebAssembly !== 'undefined' && 'Suspending' in WebAssembly;
}

/**
 * onnxruntime-web in the lightest build that can do the job. WebGPU runs on ORT's native WebGPU
 * EP (the C++ one, also in onnxruntime-node; upstream retires the JavaScript one, JSEP): its JSPI
 * build where the browser has JSPI (an 18 MB wasm), else its asyncify build (29 MB). Without
 * WebGPU the wasm-only build (15 MB) is enough, so it is imported unless the GPU build is already
 * loaded anyway. The literal specifiers let Vite emit each build's wasm as its own asset.
 */
export function ortWeb(webgpu: boolean): Promise<OrtWeb> {
  if (webgpu || gpu) {
    return (gpu ??= (
      hasJspi() ? import('onnxruntime-web/jspi') : import('onnxruntime-web/webgpu')
    ).then(start));
  }
  return (light ??= import('onnxruntime-web/wasm').then(start));
}

/** ONNX of one Identity node, x -> y, float [1], opset 17 (web/ort.test.ts decodes and runs it). */
const INIT_MODEL =
  'CAg6OgoQCgF4EgF5IghJZGVudGl0eRIEaW5pdFoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE=';

/** INIT_MODEL's bytes. */
export const initModel = () => Uint8Array.from(atob(INIT_MODEL), (c) => c.charCodeAt(0));

/**
 * Starts ORT's initialisation (fetching and compiling its wasm module, which ORT otherwise does at
 * the first model session) as soon as the build is imported, with a throwaway session of
 * INIT_MODEL, so it overlaps the model files' download and hashing. Model sessions queue behind it
 * (createSession); if it fails, the first model session tries again and reports the error.
 */
function start(ort: OrtWeb): OrtWeb {
  // Node (tests) has no cross-origin isolation story; one thread keeps them deterministic.
  if (typeof process !== 'undefined' && process.versions?.node) ort.env.wasm.numThreads = 1;
  createSession(ort, initModel(), { executionProviders: ['wasm'] }).then(
    (s) => s.release(),
    () => undefined,
  );
  return ort;
}

const queues = new WeakMap<OrtWeb, Promise<unknown>>();

/**
 * Runs `task` when the build's earlier exclusive tasks have settled (a failed one does not block
 * the next). The native WebGPU EP refuses a session while another is being created ("another
 * WebGPU EP inference session is being created"), and a session run that overlaps a creation can
 * trap in its JSPI build ("operation does not support unaligned accesses"): creations and the
 * load's warm-up take turns here.
 */
export function exclusive<T>(ort: OrtWeb, task: () => Promise<T>): Promise<T> {
  const next = (queues.get(ort) ?? Promise.resolve()).catch(() => undefined).then(task);
  queues.set(ort, next);
  return next;
}

/** ort.InferenceSession.create as an exclusive task: one at a time per ORT build. */
export function createSession(
  ort: OrtWeb,
  model: Uint8Array,
  options: InferenceSession.SessionOptions,
): Promise<InferenceSession> {
  return exclusive(ort, () => ort.InferenceSession.create(model, options));
}
