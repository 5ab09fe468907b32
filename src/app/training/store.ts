import type { RunState } from '../../train/trainer/checkpoint-state';
import type { BrowserTrainOptions, RunConfigs } from './config';
import type { PreparedUploads } from './data/uploads';
import type { LossHistory } from './protocol';

/** A paused browser run: both trainers' full state (what a checkpoint holds) and the options. */
export interface SavedRun {
  /** Which run this is (random, set when it starts; runs saved before ids existed have none). */
  id?: string;
  options: BrowserTrainOptions;
  /** Each model's TrainConfig (a checkpoint's config); runs saved before it was stored lack it. */
  configs?: RunConfigs;
  qac: RunState;
  baseline: RunState;
  /** Every step's loss so far, for the chart after a reload. */
  losses: LossHistory;
}

/** What the page shows of a saved run before any training starts (read without the state). */
export interface SavedRunMeta {
  id?: string;
  options: BrowserTrainOptions;
  step: number;
}

const DB = 'qac-playground-training';
const STORE = 'runs';
const RUN = 'current';
const META = 'current-meta';
// An uploads run's prepared images: written once when the run starts, not with every save.
const UPLOADS = 'current-uploads';

// IndexedDB keeps Maps and typed arrays as they are (structured clone), so a RunState goes in
// and comes out without an encoding step, and survives reloads.
function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open IndexedDB ${DB}`));
  });
}

/** Runs `fn`'s requests in one transaction; resolves to the last request's result when done. */
async function tx<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest | IDBRequest[],
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const reqs = [fn(t.objectStore(STORE))].flat();
      t.oncomplete = () => resolve(reqs[reqs.length - 1]!.result as T);
      // A full quota aborts the transaction with a QuotaExceededError whose message may be empty.
      t.onerror = () => reject(t.error ?? new Error('IndexedDB request failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export const saveRun = (run: SavedRun): Promise<void> =>
  tx<void>('readwrite', (s) => [
    s.put(run, RUN),
    s.put({ id: run.id, options: run.options, step: run.qac.step } satisfies SavedRunMeta, META),
  ]).then(() => undefined);
export const loadRun = (): Promise<SavedRun | undefined> =>
  tx<SavedRun | undefined>('readonly', (s) => s.get(RUN));
export const loadRunMeta = (): Promise<SavedRunMeta | undefined> =>
  tx<SavedRunMeta | undefined>('readonly', (s) => s.get(META));
/** A new run's uploads (null: the run has none, and an older run's are dropped). */
export const saveUploads = (uploads: PreparedUploads | null): Promise<void> =>
  tx<void>('readwrite', (s) => (uploads ? s.put(uploads, UPLOADS) : s.delete(UPLOADS))).then(
    () => undefined,
  );
export const loadUploads = (): Promise<PreparedUploads | undefined> =>
  tx<PreparedUploads | undefined>('readonly', (s) => s.get(UPLOADS));
export const clearRun = (): Promise<void> =>
  tx<void>('readwrite', (s) => [s.delete(RUN), s.delete(META), s.delete(UPLOADS)]).then(
    () => undefined,
  );
