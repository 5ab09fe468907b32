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
    return (gpu ??= hasJspi() ? import('onnxruntime-web/jspi') : import('onnxruntime-web/webgpu'));
  }
  return (light ??= import('onnxruntime-web/wasm'));
}

const creating = new WeakMap<OrtWeb, Promise<unknown>>();

/**
 * ort.InferenceSession.create, one at a time per ORT build: the native WebGPU EP refuses a session
 * while another is being created ("another WebGPU EP inference session is being created"), and
 * the app opens a pair's four sessions at once. A failed creation does not block the next.
 */
export function createSession(
  ort: OrtWeb,
  model: Uint8Array,
  options: InferenceSession.SessionOptions,
): Promise<InferenceSession> {
  const next = (creating.get(ort) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => ort.InferenceSession.create(model, options));
  creating.set(ort, next);
  return next;
}
