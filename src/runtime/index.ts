// The isomorphic part of the runtime: schema, types and errors. The adapters live in
// `./node` (onnxruntime-node) and `./web` (onnxruntime-web) so that importing this file pulls in
// neither ORT build.
export * from './manifest';
export type { LoadedModel, LoadOptions, SparseWeights, WebLoadOptions } from './types';
export { ModelError } from './errors';
