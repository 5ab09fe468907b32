/// <reference lib="webworker" />
import '../zodConfig';
import type { RunSettings } from '../../core';
import { modelSummary } from '../../runtime/model-summary';
import { measureOverhead } from '../../runtime/overhead';
import { planFor, samplePair, type ModelRun, type PairOptions } from '../../runtime/sample';
import { loadModelWeb, type WebLoadOptions, type WebLoadedModel } from '../../runtime/web';
import { backendInfo } from './backend';
import { codeIndex, codeStats, drawCodes } from './codes';
import { runEdit } from './edit';
import { runLab } from './lab';
import type {
  BackendInfo,
  ModelRun as ShownRun,
  PairInfo,
  WorkerRequest,
  WorkerResponse,
} from './protocol';
import { PICKED_PREFIX } from './picked';
import { trajectoryOf } from './trajectory';
import { nextTask } from './next-task';
import { countingFetch, type LoadBytes } from './load-progress';
import { policedFetch } from './policed-fetch';

interface Sources {
  qac: string;
  baseline: string | null;
  /** Picked files by URL (see the load request); answered instead of fetched. */
  files?: Record<string, File>;
}

interface Pair {
  qac: WebLoadedModel;
  /** Null when a QAC model was loaded alone: runs then leave the baseline out. */
  baseline: WebLoadedModel | null;
  backend: BackendInfo;
  urls: Sources;
}

/** Thrown at a run's next yield point when its request was cancelled or superseded. */
class Cancelled extends Error {}

let pair: Pair | null = null;
const cancelled = new Set<number>();
/** Runs queued or in flight: a newer run, a load or an explicit cancel stops them. */
const runs = new Set<number>();
// ORT sessions run one call at a time, so requests queue; cancels bypass the queue.
let queue: Promise<void> = Promise.resolve();
/**
 * Loads queued or in flight, by request id. Their downloads are aborted at once (not when the
 * queue gets to it) by a cancel or a newer load, so a server that never answers cannot hold the
 * queue: the next pair starts as soon as it is asked for.
 */
const loads = new Map<number, AbortController>();

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

/**
 * Awaited before every denoiser call of request `id`: yields to the worker's event loop so that
 * cancels and newer requests are seen, then throws Cancelled when the request is gone.
 */
function interrupter(id: number): () => Promise<void> {
  return async () => {
    await nextTask();
    if (cancelled.has(id)) throw new Cancelled();
  };
}

/** Posts request `id`'s progress: which model, which step. */
function progressOf(id: number): NonNullable<PairOptions['progress']> {
  return (model, step, steps) => post({ type: 'progress', id, model, step, steps });
}

function loaded(): Pair {
  if (!pair) throw new Error('no model pair is loaded yet');
  return pair;
}

/**
 * The loader's options for a pair's sources: picked files go through the loader's fetch override
 * (so they get exactly the shipped models' checks) and skip the Cache API (they are local already).
 */
function loadOptions(
  urls: Sources,
  prefer: boolean,
  signal?: AbortSignal,
  onBytes?: (bytes: LoadBytes) => void,
): WebLoadOptions {
  const files = urls.files;
  if (!files) {
    const fetch = onBytes ? countingFetch(policedFetch, onBytes) : policedFetch;
    return { preferWebGpu: prefer, signal, fetch };
  }
  return {
    preferWebGpu: prefer,
    signal,
    cacheName: null,
    fetch: (url, init) => {
      const file = files[url];
      if (file) return Promise.resolve(new Response(file));
      // A file the manifest lists but the picker did not get: the loader reports it missing.
      if (url.startsWith(PICKED_PREFIX))
        return Promise.resolve(new Response(null, { status: 404 }));
      return policedFetch(url, init);
    },
  };
}

async function openPair(
  urls: Sources,
  prefer: boolean,
  signal?: AbortSignal,
  onBytes?: (bytes: LoadBytes) => void,
): Promise<{ qac: WebLoadedModel; baseline: WebLoadedModel | null }> {
  const old = pair;
  pair = null;
  await Promise.all([old?.qac.dispose(), old?.baseline?.dispose()]);
  // One model failing stops the other's downloads too.
  const failed = new AbortController();
  const both = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  // Warmed up while the page loads: ORT's first-run work is not left to the first sample.
  const opts = { ...loadOptions(urls, prefer, both, onBytes), warmUp: true };
  const loading = [
    loadModelWeb(urls.qac, opts),
    urls.baseline === null ? null : loadModelWeb(urls.baseline, opts),
  ] as const;
  try {
    const [qac, baseline] = await Promise.all(loading);
    return { qac, baseline };
  } catch (e) {
    // One model failed (or the load was aborted): the other's sessions must not leak.
    failed.abort(e);
    await Promise.allSettled(loading.map((p) => p?.then((m) => m.dispose())));
    throw e;
  }
}

async function load(msg: Extract<WorkerRequest, { type: 'load' }>): Promise<PairInfo> {
  const urls: Sources = { qac: msg.qacUrl, baseline: msg.baselineUrl, files: msg.files };
  const signal = loads.get(msg.id)?.signal;
  const { qac, baseline } = await openPair(urls, msg.backend !== 'wasm', signal, (bytes) =>
    post({ type: 'loadProgress', id: msg.id, ...bytes }),
  );
  try {
    checkPair(qac, baseline);
  } catch (e) {
    await Promise.all([qac.dispose(), baseline?.dispose()]);
    throw e;
  }
  const backend = backendInfo(qac.web, msg.backend);
  pair = { qac, baseline, backend, urls };
  // Both models share ORT's one device; losing it moves the pair to wasm before the next run.
  void qac.web.deviceLost.then((reason) => {
    queue = queue.then(async () => {
      try {
        await switchToWasm(qac, `${reason}; switched to wasm`);
      } catch (e) {
        // The next request reports the missing pair; the console keeps the cause.
        console.error(`reopening the models on wasm after a lost WebGPU device failed: ${e}`);
      }
    });
  });
  const { channels, height, width } = qac.manifest.image;
  return {
    qacName: qac.manifest.name,
    baselineName: baseline?.manifest.name ?? null,
    shape: { channels, height, width },
    // A baseline loaded alone (an imported model) has no codes to pick or show.
    codes: qac.codeBits > 0 ? codeStats(qac) : null,
    backend,
    summaries: [qac, ...(baseline ? [baseline] : [])].map((m) => modelSummary(m.manifest)),
  };
}

/** A pair runs one plan (same grid, same x_T), so its models must agree on what a plan is. */
function checkPair(qac: WebLoadedModel, baseline: WebLoadedModel | null): void {
  const name = qac.manifest.name;
  // Alone, either kind samples; beside a baseline the first model is the QAC one.
  if (!baseline) return;
  if (qac.manifest.kind !== 'qac') {
    throw new Error(
      `${name}/manifest.json (kind): the model beside a baseline must be a qac model, got ${qac.manifest.kind}`,
    );
  }
  if (baseline.manifest.kind !== 'baseline') {
    throw new Error(
      `${baseline.manifest.name}/manifest.json (kind): the baseline must be a baseline model, got ${baseline.manifest.kind}`,
    );
  }
  if (qac.imageSize !== baseline.imageSize) {
    throw new Error(
      `${qac.manifest.name} and ${baseline.manifest.name} have different image sizes`,
    );
  }
  for (const key of ['sigmaMin', 'sigmaMax', 'sigmaData'] as const) {
    if (qac.manifest[key] !== baseline.manifest[key]) {
      // Both models run one plan (same grid, same x_T), so they must agree on the noise range.
      throw new Error(
        `${qac.manifest.name} and ${baseline.manifest.name} differ in ${key} ` +
          `(${qac.manifest[key]} vs ${baseline.manifest[key]}); a pair shares its noise range`,
      );
    }
  }
}

/**
 * How request `id` samples on the pair: on WebGPU the steps chain on the GPU unless that failed
 * once, else core's sampler on read-back outputs; `progress` posts the steps as they go.
 */
function runOptions(id: number, progress = false): PairOptions<WebLoadedModel> {
  const { backend } = loaded();
  return {
    chain: (m) => (m.web.ep === 'webgpu' && backend.chainOff === null ? m.chain : null),
    interrupt: interrupter(id),
    progress: progress ? progressOf(id) : undefined,
  };
}

/**
 * The run settings of request parameters: a baseline loaded alone takes no code, whatever the
 * settings hold (a link made on a QAC pair).
 */
function settingsOf(p: RunSettings, extra: Partial<RunSettings> = {}): RunSettings {
  const s = { ...p, ...extra };
  return loaded().qac.codeBits > 0 ? s : { ...s, code: null };
}

/** A model's run as the page shows it: where its steps ran, sample 0's trajectory. */
function shown(model: WebLoadedModel, run: ModelRun, sigmas: number[]): ShownRun {
  const path = run.chained ? 'gpu-chained' : model.web.ep === 'webgpu' ? 'gpu-readback' : 'cpu';
  const final = run.x.slice(0, model.imageSize);
  const trajectory = trajectoryOf(run.steps!, sigmas, final);
  return { images: run.x, nfe: run.nfe, ms: run.ms, path, trajectory };
}

/** The main sample, then the sweep and the gallery, each posted as soon as it is done. */
async function run(msg: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const { id, params: p } = msg;
  const models = loaded();
  const { qac, baseline } = models;
  const r = await samplePair(models, settingsOf(p), { ...runOptions(id, true), trace: true });
  const { plan } = r;
  const result = {
    params: p,
    steps: plan.steps,
    codes: plan.codes,
    qac: shown(qac, r.qac, plan.sigmas),
    baseline: baseline && r.baseline && shown(baseline, r.baseline, plan.sigmas),
  };
  post({ type: 'sampled', id, result });
  if (msg.extras) {
    const rows = [];
    for (const nfe of msg.extras.sweepNfes) {
      const one = await samplePair(models, settingsOf(p, { batch: 1, nfe }), runOptions(id));
      const images = { qac: one.qac.x, baseline: one.baseline?.x ?? null };
      rows.push({ nfe: one.qac.nfe, steps: one.plan.steps, ...images });
    }
    post({ type: 'swept', id, rows });
    const codes = msg.extras.galleryCodes;
    // A baseline alone has no codes, so no gallery.
    if (codes.length === 0) {
      post({ type: 'ran', id });
      return;
    }
    // One x_T (the seed's) under each code: what the code alone changes.
    const gallery = settingsOf(p, {
      batch: codes.length,
      seeds: codes.map(() => p.seed),
      code: codes,
    });
    const { x: images } = (await samplePair({ qac, baseline: null }, gallery, runOptions(id))).qac;
    post({ type: 'gallery', id, images }, [images.buffer]);
  }
  post({ type: 'ran', id });
}

/** The solver lab: the reference, then each cell as soon as both models have run it. */
async function lab(msg: Extract<WorkerRequest, { type: 'lab' }>): Promise<void> {
  const { id } = msg;
  const models = loaded();
  const sample = (s: RunSettings) => samplePair(models, settingsOf(s), runOptions(id));
  const buffers = (...images: (Float32Array | null)[]) =>
    images.flatMap((x) => (x ? [x.buffer] : []));
  await runLab(sample, msg.params, msg.runs, {
    reference: (reference) =>
      post({ type: 'labReference', id, reference }, buffers(reference.qac, reference.baseline)),
    cell: (cell) => post({ type: 'labCell', id, cell }, buffers(cell.qac, cell.baseline)),
  });
  post({ type: 'labDone', id });
}

async function handle(msg: Exclude<WorkerRequest, { type: 'cancel' }>): Promise<void> {
  const { id } = msg;
  switch (msg.type) {
    case 'load':
      post({ type: 'loaded', id, info: await load(msg) });
      return;
    case 'run':
      return run(msg);
    case 'lab':
      return lab(msg);
    case 'drawCode': {
      const [index] = drawCodes(loaded().qac, [msg.seed]);
      post({ type: 'code', id, index });
      return;
    }
    case 'measure': {
      const { qac } = loaded();
      const s = settingsOf(msg.params);
      // The app's run of the QAC model: what `run` does for it, trajectory and progress included.
      const opts = { ...runOptions(id, true), trace: true };
      const appRun = async () => {
        const r = await samplePair({ qac, baseline: null }, s, opts);
        return shown(qac, r.qac, r.plan.sigmas);
      };
      const timing = await measureOverhead(qac, planFor(qac, s), appRun, interrupter(id));
      post({ type: 'measured', id, timing });
      return;
    }
    case 'encode': {
      const { qac } = loaded();
      const signs = await qac.encode(msg.image, 1);
      post({ type: 'encoded', id, index: codeIndex(signs) });
      return;
    }
    case 'edit': {
      const { qac, baseline } = loaded();
      const progress = progressOf(id);
      const hooks = {
        interrupt: interrupter(id),
        progress: (step: number, steps: number) => progress('qac', step, steps),
      };
      const result = await runEdit(qac, baseline, msg, hooks);
      post({ type: 'edited', id, result });
      return;
    }
  }
}

/**
 * Reopens the pair on wasm (when `from` is still the pair on WebGPU) and tells the page why.
 * Returns whether it did.
 */
async function switchToWasm(from: WebLoadedModel, reason: string): Promise<boolean> {
  if (!pair || pair.qac !== from || pair.backend.kind !== 'webgpu') return false;
  const { urls } = pair;
  const { qac, baseline } = await openPair(urls, false);
  const backend: BackendInfo = { ...backendInfo(qac.web, 'auto'), fallbackReason: reason };
  pair = { qac, baseline, backend, urls };
  post({ type: 'backend', info: backend });
  return true;
}

const CHAINED: ReadonlySet<WorkerRequest['type']> = new Set(['run', 'lab', 'measure']);

/**
 * A WebGPU failure mid-run first turns the GPU chain off (the request runs again with every step
 * read back), then reopens the pair on wasm (an operator that fails at run time, a lost device).
 * Returns whether the request should run again.
 */
async function recover(type: WorkerRequest['type'], err: unknown): Promise<boolean> {
  if (!pair) return false;
  const message = (err as Error).message ?? String(err);
  if (pair.backend.kind === 'webgpu' && pair.backend.chainOff === null && CHAINED.has(type)) {
    const why = `chaining the steps on the GPU failed (${message}); each step is read back`;
    pair.backend = { ...pair.backend, chainOff: why };
    post({ type: 'backend', info: pair.backend });
    return true;
  }
  return switchToWasm(pair.qac, `WebGPU failed while running (${message}); switched to wasm`);
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    cancelled.add(msg.id);
    loads.get(msg.id)?.abort(new Cancelled());
    return;
  }
  if (msg.type === 'load') {
    for (const older of loads.values()) older.abort(new Cancelled());
    loads.set(msg.id, new AbortController());
  }
  // Latest wins: a newer run, lab or pair makes every earlier run and lab moot (one view streams
  // at a time).
  if (msg.type === 'run' || msg.type === 'lab' || msg.type === 'load') {
    for (const old of runs) cancelled.add(old);
    runs.clear();
  }
  if (msg.type === 'run' || msg.type === 'lab') runs.add(msg.id);
  queue = queue.then(async () => {
    try {
      if (cancelled.has(msg.id)) throw new Cancelled();
      // Marks for profiling (bench/browser.ts prints them): when each request starts and ends,
      // or is dropped (e2e/lab.spec.ts tells a lab stopped mid-way by its id).
      const detail = { detail: { id: msg.id } };
      performance.mark(`worker:${msg.type}`, detail);
      for (;;) {
        try {
          await handle(msg);
          performance.mark(`worker:${msg.type}:done`, detail);
          break;
        } catch (err) {
          if (err instanceof Cancelled || msg.type === 'load' || !(await recover(msg.type, err))) {
            throw err;
          }
        }
      }
    } catch (err) {
      if (err instanceof Cancelled) {
        performance.mark(`worker:${msg.type}:cancelled`, { detail: { id: msg.id } });
        post({ type: 'cancelled', id: msg.id });
      } else post({ type: 'error', id: msg.id, message: (err as Error).message ?? String(err) });
    } finally {
      cancelled.delete(msg.id);
      runs.delete(msg.id);
      loads.delete(msg.id);
    }
  });
};
