import type { SparseWeights } from '../core';
import type { Manifest } from './manifest';

/**
 * A loaded model, whichever ONNX runtime runs it. All tensors are flat, row-major Float32Arrays.
 *
 * ONNX contract (see README.md): denoiser inputs `x` [B,C,H,W], `sigma` [B] and, for QAC, `code`
 * [B,d] of +-1; output `denoised` [B,C,H,W]. Encoder input `x` [B,C,H,W], output `code` [B,d] +-1.
 */
export interface LoadedModel {
  readonly manifest: Manifest;
  /** Which onnxruntime build and execution provider run the sessions, e.g. "node/cpu", "web/wasm". */
  readonly backend: string;
  /** d: the code width the denoiser expects; 0 for a baseline. */
  readonly codeBits: number;
  /** Per-image value count C*H*W. */
  readonly imageSize: number;
  /**
   * Code-usage sampling weights from weights.bin (core's format: heaviest first, codes never used
   * are absent), or null for a baseline.
   */
  readonly weights: SparseWeights | null;
  /**
   * D(x; sigma, code) for a batch of `batch` images. `sigma` is one value for the whole batch or
   * one per image. `code` is [batch, d] of +-1 and is required for QAC models; a baseline ignores it.
   */
  denoise(
    x: Float32Array,
    sigma: number | Float32Array,
    batch: number,
    code?: Float32Array,
  ): Promise<Float32Array>;
  /** Code bits [batch, d] of +-1 for clean images x [batch, C, H, W]. QAC models only. */
  encode(x: Float32Array, batch: number): Promise<Float32Array>;
  /**
   * A `core` Denoise (x, sigma) => D over a fixed batch with the code bound per image, ready for
   * `core.sample`.
   */
  bind(
    batch: number,
    code?: Float32Array,
  ): (x: Float32Array, sigma: number) => Promise<Float32Array>;
  /** Releases the ORT sessions; the model is unusable afterwards. */
  dispose(): Promise<void>;
}

/** Options shared by both adapters. */
export interface LoadOptions {
  /** Skip the sha256 check of the model files (the byte-size check still runs). */
  skipHashCheck?: boolean;
}

/** Options of the web adapter. */
export interface WebLoadOptions extends LoadOptions {
  /** Try WebGPU first (falls back to wasm when unavailable). Default false. */
  preferWebGpu?: boolean;
  /** Name of the Cache API cache that keeps verified model files; null disables caching. */
  cacheName?: string | null;
  /** fetch to use; defaults to globalThis.fetch (tests pass a file-reading one). */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /**
   * Stops the load: the downloads are aborted, and sessions opened meanwhile are released. The
   * load rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** The no-progress timeout of each download in ms (web/source.ts STALL_MS by default). */
  stallMs?: number;
  /**
   * Run the denoiser at batch 1 before the load resolves (web/warm-up.ts): ORT's first-run work
   * happens during the load, and V8 starts compiling the hot kernels. Default false.
   */
  warmUp?: boolean;
}
