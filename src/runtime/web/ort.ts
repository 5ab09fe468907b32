import type * as Ort from 'onnxruntime-web';

export type OrtWeb = typeof Ort;

let full: Promise<OrtWeb> | null = null;
let light: Promise<OrtWeb> | null = null;

/**
 * onnxruntime-web in the lighter of its two builds that can do the job: the WebGPU build carries
 * a wasm twice the size of the wasm-only one (about 28 vs 14 MB to compile at every page load), so
 * it is imported only when WebGPU will be tried, or when it is already loaded anyway.
 */
export function ortWeb(webgpu: boolean): Promise<OrtWeb> {
  if (webgpu || full) return (full ??= import('onnxruntime-web'));
  return (light ??= import('onnxruntime-web/wasm'));
}
