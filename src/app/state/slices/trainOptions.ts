import type { StateCreator } from 'zustand';
import { DEFAULT_BROWSER_TRAIN } from '../../training/config';
import { prepareUploads } from '../../training/data/uploads';
import { normalizeTrainOptions } from '../../training/options';
import { loadRunMeta, type SavedRunMeta } from '../../training/store';
import type { AppState, TrainOptionsSlice } from '../types';

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
