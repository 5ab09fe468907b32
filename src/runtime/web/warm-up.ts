import type { LoadedModel } from '../types';

/** Calls of the warm-up: the first does ORT's first-run work, the second runs what it planned. */
const WARM_UP_CALLS = 2;

/**
 * Throwaway denoiser calls at batch 1 (zeros, sigma 1, the all-minus code) while the page still
 * loads. A fresh wasm module runs V8's baseline code (Liftoff) until its hot functions are
 * recompiled by TurboFan in the background; these calls make ORT's kernels hot early, so that
 * compilation starts during the load rather than with the first sample (six calls measured no
 * better than two). On WebGPU they compile the denoiser's shaders.
 */
export async function warmUp(model: LoadedModel): Promise<void> {
  const x = new Float32Array(model.imageSize);
  const code = model.codeBits > 0 ? new Float32Array(model.codeBits).fill(-1) : undefined;
  for (let i = 0; i < WARM_UP_CALLS; i++) await model.denoise(x, 1, 1, code);
}
