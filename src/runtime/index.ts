// The isomorphic part of the runtime: schema, types and errors. The adapters live in
// `./node` (onnxruntime-node) and `./web` (onnxruntime-web) so that importing this file pulls in
// neither ORT build.
export * from './manifest';
export * from './source';
export type { LoadedModel } from './types';
export { parseManifest } from './shared/parse-manifest';
export { fileEntry } from './shared/file-entry';
export { sha256Hex } from './shared/hash';
export { qualityText, recipeText } from './model-summary';
