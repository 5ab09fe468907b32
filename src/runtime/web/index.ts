import type { InferenceSession } from 'onnxruntime-common';
import { inModel } from '../errors';
import { readModelFiles } from '../shared/files';
import { openModel } from '../shared/model';
import { openSession } from '../shared/ort-port';
import type { LoadedModel, WebLoadOptions } from '../types';
import { StepChain } from './chain';
import { createSession, exclusive, ortWeb, type OrtWeb } from './ort';
import { webSource } from './source';
import { warmUp } from './warm-up';

export type { WebLoadOptions } from '../types';

const DEFAULT_CACHE = 'qac-playground-models';

/** What the web adapter ended up running on, as ORT reports it, and why. */
export interface WebBackend {
  ep: 'webgpu' | 'wasm';
  /** Why WebGPU is not used although it was asked for; null when it runs or was not asked for. */
  fallbackReason: string | null;
  /** The wasm thread count ORT settled on (1 without cross-origin isolation). */
  wasmThreads: number;
  /** Settles with a message if the WebGPU device is lost; never settles on wasm. */
  deviceLost: Promise<string>;
}

export interface WebLoadedModel extends LoadedModel {
  readonly web: WebBackend;
  /** Sampling with the steps chained on the GPU; null on wasm (nothing to save there). */
  readonly chain: StepChain | null;
}

interface Gpu {
  requestAdapter(): Promise<unknown>;
}
interface GpuDevice {
  lost: Promise<{ message: string; reason?: string }>;
}

/** Null when WebGPU has an adapter, else why not. */
export async function webGpuMissing(): Promise<string | null> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: Gpu }) | undefined)?.gpu;
  if (!gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  try {
    if ((await gpu.requestAdapter()) === null) return 'WebGPU found no adapter (no usable GPU)';
  } catch (e) {
    return `WebGPU adapter request failed: ${(e as Error).message}`;
  }
  return null;
}

/** Settles when ORT's device is lost; never, if ORT does not hand out its device. */
async function deviceLost(ort: OrtWeb): Promise<string> {
  let device: GpuDevice;
  try {
    device = (await ort.env.webgpu.device) as unknown as GpuDevice;
  } catch {
    return new Promise<string>(() => {});
  }
  const info = await device.lost;
  return `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`;
}

/**
 * Loads a model folder served under `baseUrl` with onnxruntime-web: WebGPU when asked for and
 * available (falling back to wasm if a session cannot be created on it), wasm otherwise. The
 * model files, the WebGPU probe and the ORT import run concurrently. A ModelError names the
 * model folder (the app loads two at once).
 */
export async function loadModelWeb(
  baseUrl: string,
  opts: WebLoadOptions = {},
): Promise<WebLoadedModel> {
  let model: WebLoadedModel;
  try {
    model = await loadWeb(baseUrl, opts);
  } catch (e) {
    throw inModel(e, baseUrl);
  }
  // Opening sessions cannot be interrupted: a load aborted meanwhile releases them here.
  if (opts.signal?.aborted) {
    await model.dispose();
    throw opts.signal.reason;
  }
  return model;
}

async function loadWeb(baseUrl: string, opts: WebLoadOptions): Promise<WebLoadedModel> {
  const fetchFn = opts.fetch ?? ((url: string, init?: RequestInit) => globalThis.fetch(url, init));
  const cacheName = opts.cacheName === undefined ? DEFAULT_CACHE : opts.cacheName;
  const missing = opts.preferWebGpu ? webGpuMissing() : Promise.resolve(null);
  // The marks (named `ort:*`, detail = baseUrl) let a profiler see where load time goes.
  const mark =
    <T>(name: string) =>
    (value: T) => {
      globalThis.performance?.mark(`ort:${name}`, { detail: baseUrl });
      return value;
    };
  const [files, gpuMissing, ort] = await Promise.all([
    webSource(baseUrl, fetchFn, cacheName, opts)
      .then((source) => readModelFiles(source, opts))
      .then(mark('files')),
    missing,
    missing.then((m) => ortWeb(opts.preferWebGpu === true && m === null)).then(mark('import')),
  ]);
  opts.signal?.throwIfAborted();

  const denoiserFile = files.manifest.files.denoiser.path;
  const open = (ep: 'webgpu' | 'wasm', onDenoiser?: (s: InferenceSession) => void) =>
    openModel(
      files,
      (bytes, file) =>
        openSession(
          file,
          async () => {
            if (file !== denoiserFile || !onDenoiser) {
              return createSession(ort, bytes, { executionProviders: [ep] });
            }
            // The output stays on the GPU so chained steps never wait for a readback; a plain
            // denoise() call reads it back (ort-port).
            const s = await createSession(ort, bytes, {
              executionProviders: [ep],
              preferredOutputLocation: { denoised: 'gpu-buffer' },
            });
            onDenoiser(s);
            return s;
          },
          ort.Tensor,
        ),
      `web/${ep}`,
    )
      .then(mark('sessions'))
      .then(async (model) => {
        if (!opts.warmUp) return model;
        await exclusive(ort, () => warmUp(model)).catch(async (e: unknown) => {
          await model.dispose();
          throw e;
        });
        return mark<typeof model>('warm')(model);
      });
  // ORT fills in numThreads while it initialises (at the first session).
  const threads = () => ort.env.wasm.numThreads ?? 1;
  let fallbackReason = opts.preferWebGpu ? gpuMissing : null;
  if (opts.preferWebGpu && gpuMissing === null) {
    try {
      let denoiser: InferenceSession | null = null;
      const model = await open('webgpu', (s) => (denoiser = s));
      const { channels, height, width } = model.manifest.image;
      const image = [channels, height, width] as const;
      const chain = new StepChain(ort, denoiser!, denoiserFile, image, model.codeBits, 'webgpu');
      const web = { ep: 'webgpu' as const, fallbackReason: null, wasmThreads: threads() };
      return {
        ...model,
        web: { ...web, deviceLost: deviceLost(ort) },
        chain,
        dispose: async () => {
          await Promise.all([chain.release(), model.dispose()]);
        },
      };
    } catch (e) {
      fallbackReason = `WebGPU could not open the model: ${(e as Error).message}`;
    }
  }
  const model = await open('wasm');
  return {
    ...model,
    chain: null,
    web: {
      ep: 'wasm',
      fallbackReason,
      wasmThreads: threads(),
      deviceLost: new Promise<string>(() => {}),
    },
  };
}
