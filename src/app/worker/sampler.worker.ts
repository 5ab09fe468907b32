/// <reference lib="webworker" />
import '../zodConfig';
import type { RunPlan, RunSettings } from '../../core';
import { planFor } from '../../runtime';
import { loadModelWeb, type WebLoadOptions, type WebLoadedModel } from '../../runtime/web';
import { backendInfo } from './backend';
import { codeIndex, codeStats, drawCodes } from './codes';
import { runEdit } from './edit';
import { runLab } from './lab';
import type {
  BackendInfo,
  PairInfo,
  SampleParams,
  WorkerRequest,
  WorkerResponse,
} from './protocol';
import { PICKED_PREFIX } from './picked';
import {
  Cancelled,
  measureOverhead,
  runImages,
  runModel,
  type Engine,
  type RunHooks,
} from './runs';
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

function hooksFor(id: number, model?: 'qac' | 'baseline'): RunHooks {
  return {
    interrupt: async () => {
      await nextTask();
      if (cancelled.has(id)) throw new Cancelled();
    },
    progress: model && ((step, steps) => post({ type: 'progress', id, model, step, steps })),
  };
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
 * Where a model's runs compute: on WebGPU the steps chain on the GPU unless that failed once;
 * core.sample on read-back outputs otherwise.
 */
function engine(model: WebLoadedModel): Engine {
  const { backend } = loaded();
  const gpu = model.web.ep === 'webgpu';
  return {
    model,
    chain: gpu && backend.chainOff === null ? model.chain : null,
    unchained: gpu ? 'gpu-readback' : 'cpu',
  };
}

/**
 * The plan of a run on the pair: codes drawn from the QAC model's weights, shared x_T. A baseline
 * loaded alone takes no code, whatever the settings hold (a link made on a QAC pair).
 */
function planOn(model: WebLoadedModel, s: RunSettings): RunPlan {
  return planFor(model, model.codeBits > 0 ? s : { ...s, code: null });
}

function planOf(p: SampleParams, extra: Partial<RunSettings> = {}): RunPlan {
  return planOn(loaded().qac, { ...p, ...extra });
}

/** The main sample, then the sweep and the gallery, each posted as soon as it is done. */
async function run(msg: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const { id, params: p } = msg;
  const { qac, baseline } = loaded();
  const plan = planOf(p);
  const q = await runModel(engine(qac), plan, hooksFor(id, 'qac'));
  const b = baseline && (await runModel(engine(baseline), plan, hooksFor(id, 'baseline')));
  post({
    type: 'sampled',
    id,
    result: { params: p, steps: plan.steps, codes: plan.codes, qac: q, baseline: b },
  });
  if (msg.extras) {
    const hooks = hooksFor(id);
    const rows = [];
    for (const nfe of msg.extras.sweepNfes) {
      const one = planOf(p, { batch: 1, nfe });
      const qi = await runImages(engine(qac), one, hooks);
      const bi = baseline && (await runImages(engine(baseline), one, hooks));
      rows.push({ nfe: qi.nfe, steps: one.steps, qac: qi.images, baseline: bi?.images ?? null });
    }
    post({ type: 'swept', id, rows });
    const codes = msg.extras.galleryCodes;
    // A baseline alone has no codes, so no gallery.
    if (codes.length === 0) {
      post({ type: 'ran', id });
      return;
    }
    // One x_T (the seed's) under each code: what the code alone changes.
    const gallery = planOf(p, {
      batch: codes.length,
      seeds: codes.map(() => p.seed),
      code: codes,
    });
    const { images } = await runImages(engine(qac), gallery, hooks);
    post({ type: 'gallery', id, images }, [images.buffer]);
  }
  post({ type: 'ran', id });
}

/** The solver lab: the reference, then each cell as soon as both models have run it. */
async function lab(msg: Extract<WorkerRequest, { type: 'lab' }>): Promise<void> {
  const { id } = msg;
  const { qac, baseline } = loaded();
  const engines = {
    qac: engine(qac),
    baseline: baseline && engine(baseline),
    plan: (s: RunSettings) => planOn(qac, s),
  };
  const buffers = (...images: (Float32Array | null)[]) =>
    images.flatMap((x) => (x ? [x.buffer] : []));
  await runLab(engines, msg.params, msg.runs, hooksFor(id), {
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
      const timing = await measureOverhead(engine(qac), planOf(msg.params), hooksFor(id, 'qac'));
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
      const result = await runEdit(qac, baseline, msg, hooksFor(id, 'qac'));
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
