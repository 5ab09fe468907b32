/// <reference lib="webworker" />
import '../zodConfig';
import { sampleSeeds } from '../../core';
import { loadModelWeb, type WebLoadedModel } from '../../runtime/web';
import { backendInfo } from './backend';
import { codeIndex, codeStats, drawCodes } from './codes';
import { runEdit } from './edit';
import type {
  BackendInfo,
  PairInfo,
  SampleParams,
  WorkerRequest,
  WorkerResponse,
} from './protocol';
import {
  Cancelled,
  measureOverhead,
  noiseFor,
  runImages,
  runModel,
  type Engine,
  type RunHooks,
} from './runs';

interface Pair {
  qac: WebLoadedModel;
  baseline: WebLoadedModel;
  backend: BackendInfo;
  urls: { qac: string; baseline: string };
}

let pair: Pair | null = null;
const cancelled = new Set<number>();
// ORT sessions run one call at a time, so requests queue; cancels bypass the queue.
let queue: Promise<void> = Promise.resolve();

function post(msg: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

function hooksFor(id: number, model: 'qac' | 'baseline'): RunHooks {
  return {
    check: () => {
      if (cancelled.has(id)) throw new Cancelled();
    },
    progress: (step, steps) => post({ type: 'progress', id, model, step, steps }),
  };
}

function loaded(): Pair {
  if (!pair) throw new Error('no model pair is loaded yet');
  return pair;
}

async function openPair(
  urls: Pair['urls'],
  prefer: boolean,
): Promise<{ qac: WebLoadedModel; baseline: WebLoadedModel }> {
  const old = pair;
  pair = null;
  await Promise.all([old?.qac.dispose(), old?.baseline.dispose()]);
  const [qac, baseline] = await Promise.all([
    loadModelWeb(urls.qac, { preferWebGpu: prefer }),
    loadModelWeb(urls.baseline, { preferWebGpu: prefer }),
  ]);
  return { qac, baseline };
}

async function load(msg: Extract<WorkerRequest, { type: 'load' }>): Promise<PairInfo> {
  const urls = { qac: msg.qacUrl, baseline: msg.baselineUrl };
  const { qac, baseline } = await openPair(urls, msg.backend !== 'wasm');
  if (qac.manifest.kind !== 'qac' || baseline.manifest.kind !== 'baseline') {
    throw new Error(
      `the pair must be a qac and a baseline model, got ${qac.manifest.kind} and ${baseline.manifest.kind}`,
    );
  }
  if (qac.imageSize !== baseline.imageSize) {
    throw new Error(
      `${qac.manifest.name} and ${baseline.manifest.name} have different image sizes`,
    );
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
    baselineName: baseline.manifest.name,
    shape: { channels, height, width },
    codes: codeStats(qac),
    backend,
  };
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

/** The code of each sample: the fixed one, or a draw from the weights on the sample's code stream. */
function codesFor(p: SampleParams, seeds: number[]): number[] {
  if (p.code !== null) return seeds.map(() => p.code!);
  return drawCodes(loaded().qac, seeds);
}

async function handle(msg: Exclude<WorkerRequest, { type: 'cancel' }>): Promise<void> {
  const { id } = msg;
  switch (msg.type) {
    case 'load':
      post({ type: 'loaded', id, info: await load(msg) });
      return;
    case 'sample': {
      const { qac, baseline } = loaded();
      const p = msg.params;
      const seeds = sampleSeeds(p.batch, p.seed);
      const codes = codesFor(p, seeds);
      const xT = noiseFor(qac, p.batch, p.seed);
      const q = await runModel(engine(qac), p, xT, codes, hooksFor(id, 'qac'));
      const b = await runModel(engine(baseline), p, xT, codes, hooksFor(id, 'baseline'));
      post({
        type: 'sampled',
        id,
        result: {
          params: p,
          steps: q.trajectory.sigmas.length - 1,
          codes,
          qac: q,
          baseline: b,
        },
      });
      return;
    }
    case 'sweep': {
      const { qac, baseline } = loaded();
      const one = { ...msg.params, batch: 1 };
      const codes = codesFor(one, [one.seed]);
      const xT = noiseFor(qac, 1, one.seed);
      const hooks = { check: hooksFor(id, 'qac').check };
      const rows = [];
      for (const nfe of msg.nfes) {
        const p = { ...one, nfe };
        const q = await runImages(engine(qac), p, xT, codes, hooks);
        const b = await runImages(engine(baseline), p, xT, codes, hooks);
        rows.push({ nfe: q.nfe, steps: q.steps, qac: q.images, baseline: b.images });
      }
      post({ type: 'swept', id, rows });
      return;
    }
    case 'gallery': {
      const { qac } = loaded();
      const k = msg.codes.length;
      const seeds = new Array<number>(k).fill(msg.params.seed);
      const xT = noiseFor(qac, k, msg.params.seed, seeds);
      const run = await runImages(
        engine(qac),
        { ...msg.params, batch: k },
        xT,
        msg.codes,
        hooksFor(id, 'qac'),
        seeds,
      );
      post({ type: 'gallery', id, images: run.images }, [run.images.buffer]);
      return;
    }
    case 'drawCode': {
      const [index] = drawCodes(loaded().qac, [msg.seed]);
      post({ type: 'code', id, index });
      return;
    }
    case 'measure': {
      const { qac } = loaded();
      const p = msg.params;
      const seeds = sampleSeeds(p.batch, p.seed);
      const timing = await measureOverhead(
        engine(qac),
        p,
        noiseFor(qac, p.batch, p.seed),
        codesFor(p, seeds),
        hooksFor(id, 'qac'),
      );
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

const CHAINED: ReadonlySet<WorkerRequest['type']> = new Set([
  'sample',
  'sweep',
  'gallery',
  'measure',
]);

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
    return;
  }
  queue = queue.then(async () => {
    try {
      if (cancelled.has(msg.id)) throw new Cancelled();
      // Marks for profiling (bench/browser.ts prints them): when each request starts and ends.
      performance.mark(`worker:${msg.type}`);
      for (;;) {
        try {
          await handle(msg);
          performance.mark(`worker:${msg.type}:done`);
          break;
        } catch (err) {
          if (err instanceof Cancelled || msg.type === 'load' || !(await recover(msg.type, err))) {
            throw err;
          }
        }
      }
    } catch (err) {
      if (err instanceof Cancelled) post({ type: 'cancelled', id: msg.id });
      else post({ type: 'error', id: msg.id, message: (err as Error).message ?? String(err) });
    } finally {
      cancelled.delete(msg.id);
    }
  });
};
