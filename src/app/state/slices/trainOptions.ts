import type { StateCreator } from 'zustand';
import { DEFAULT_BROWSER_TRAIN, type BrowserTrainOptions } from '../../training/config';
import { prepareUploads, type PreparedUploads } from '../../training/data/uploads';
import { normalizeTrainOptions } from '../../training/options';
import { loadRunMeta, type SavedRunMeta } from '../../training/store';
import type { AppState } from '../store';

export interface TrainOptionsSlice {
  /** The options the next new run takes; a saved run's own while one is kept. */
  trainOptions: BrowserTrainOptions;
  /** The saved run (IndexedDB) the next start resumes, if it is unfinished; null when none. */
  trainSaved: SavedRunMeta | null;
  /** The latest accepted pick of images for an uploads run. */
  trainUploads: PreparedUploads | null;
  /** What was wrong with the latest pick (each unreadable file, too few images). */
  trainUploadProblems: string[];
  trainUploadBusy: boolean;
  /** Writes options through normalizeTrainOptions; what it changed joins the page's notices. */
  setTrainOptions: (patch: Partial<Record<keyof BrowserTrainOptions, unknown>>) => void;
  /** Decodes a pick of images; a pick with too few readable ones keeps the previous pick. */
  pickTrainFiles: (files: readonly File[]) => Promise<void>;
  /**
   * Reads the saved run's options (after a reload), so the form shows them before a start; a
   * `fresh` read (another tab changed the run) also replaces what a stopped run here showed.
   */
  loadSavedTraining: (fresh?: boolean) => Promise<void>;
}

/** A saved run that the next start continues: its options are fixed until it is discarded. */
export const resumable = (saved: SavedRunMeta | null): saved is SavedRunMeta =>
  saved !== null && saved.step < saved.options.steps;

export const createTrainOptionsSlice: StateCreator<AppState, [], [], TrainOptionsSlice> = (
  set,
  get,
) => ({
  trainOptions: DEFAULT_BROWSER_TRAIN,
  trainSaved: null,
  trainUploads: null,
  trainUploadProblems: [],
  trainUploadBusy: false,
  setTrainOptions: (patch) =>
    set((s) => {
      const next = normalizeTrainOptions(patch, s.trainOptions);
      const notices = next.notices.filter((n) => !s.notices.includes(n));
      return { trainOptions: next.options, notices: [...s.notices, ...notices] };
    }),
  pickTrainFiles: async (files) => {
    set({ trainUploadBusy: true });
    try {
      const { uploads, problems } = await prepareUploads(files);
      set((s) => ({ trainUploads: uploads ?? s.trainUploads, trainUploadProblems: problems }));
    } finally {
      set({ trainUploadBusy: false });
    }
  },
  loadSavedTraining: async (fresh = false) => {
    const meta = await loadRunMeta().catch(() => undefined);
    const phase = get().trainPhase;
    // A run started meanwhile reports its own options ('started'); this read is older.
    if (phase === 'starting' || phase === 'running' || phase === 'stopping') return;
    if (!fresh && (!meta || phase !== 'idle')) return;
    if (!meta) return set({ trainSaved: null });
    const options = normalizeTrainOptions(meta.options).options;
    set({ trainSaved: { options, step: meta.step }, trainOptions: options });
  },
});
