import type { BackendChoice } from '../state/settings';
import type { BackendInfo } from './protocol';

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<unknown> };
}

/** Whether to ask the runtime for WebGPU, and if not, the reason the badge shows. */
export async function webGpuDecision(
  choice: BackendChoice,
): Promise<{ prefer: boolean; reason: string | null }> {
  if (choice === 'wasm') return { prefer: false, reason: 'wasm was chosen in the settings' };
  const gpu = (self.navigator as Navigator & GpuNavigator).gpu;
  if (!gpu)
    return { prefer: false, reason: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  try {
    if ((await gpu.requestAdapter()) === null) {
      return { prefer: false, reason: 'WebGPU found no adapter (no usable GPU)' };
    }
  } catch (e) {
    return { prefer: false, reason: `WebGPU adapter request failed: ${(e as Error).message}` };
  }
  return { prefer: true, reason: null };
}

/** What the badge shows once the runtime has opened the sessions (its backend: "web/<ep>"). */
export function backendInfo(
  runtimeBackend: string,
  prefer: boolean,
  reason: string | null,
): BackendInfo {
  const kind = runtimeBackend.endsWith('webgpu') ? 'webgpu' : 'wasm';
  const fallbackReason =
    kind === 'wasm' && prefer
      ? 'WebGPU could not open the model (an operator may be unsupported)'
      : kind === 'wasm'
        ? reason
        : null;
  return { kind, ...wasmThreads(), fallbackReason };
}

/**
 * onnxruntime-web's default wasm thread count: 1 without cross-origin isolation (no
 * SharedArrayBuffer), else half the cores, at most 4.
 */
export function wasmThreads(): { threads: number; crossOriginIsolated: boolean } {
  const isolated = self.crossOriginIsolated;
  const cores = self.navigator.hardwareConcurrency || 1;
  return {
    threads: isolated ? Math.min(4, Math.ceil(cores / 2)) : 1,
    crossOriginIsolated: isolated,
  };
}
