import type { RunState } from '../../train/trainer/checkpoint-state';
import type { BrowserTrainOptions } from './config';

/** A paused browser run: both trainers' full state (what a checkpoint holds) and the options. */
export interface SavedRun {
  options: BrowserTrainOptions;
  qac: RunState;
  baseline: RunState;
}

const DB = 'qac-playground-training';
const STORE = 'runs';
const KEY = 'current';

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

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export const saveRun = (run: SavedRun): Promise<void> =>
  tx<void>('readwrite', (s) => s.put(run, KEY)).then(() => undefined);
export const loadRun = (): Promise<SavedRun | undefined> =>
  tx<SavedRun | undefined>('readonly', (s) => s.get(KEY));
export const clearRun = (): Promise<void> =>
  tx<void>('readwrite', (s) => s.delete(KEY)).then(() => undefined);
