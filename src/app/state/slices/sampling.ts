import type { StateCreator } from 'zustand';
import { CancelledError } from '../../worker/client';
import type { RunPart, SampleParams } from '../../worker/protocol';
import { snapNfe } from '../../../core';
import { LIMITS, type Settings } from '../settings';
import type { AppState, SamplingSlice } from '../types';

const GALLERY_SIZE = 8;
/** The NFEs the sweep asks for, each snapped to one the solver spends exactly. */
const SWEEP_NFES = [2, 3, 4, 6, 10, 20] as const;

/** What the worker runs of the settings; normalised settings need no further checks. */
function sampleParams(s: Settings): SampleParams {
  return {
    solver: s.solver,
    nfe: s.nfe,
    afs: s.afs,
    gridEnd: s.gridEnd,
    churn: s.churn,
    batch: s.batch,
    seed: s.seed,
    code: s.code,
  };
}

export const createSamplingSlice: StateCreator<AppState, [], [], SamplingSlice> = (set, get) => {
  /** Applies a streamed part only while its run is the current one (latest wins). */
  const apply = (id: number, params: SampleParams, part: RunPart) => {
    if (get().running !== id) return;
    switch (part.type) {
      case 'progress':
        set({ progress: { model: part.model, step: part.step, steps: part.steps } });
        return;
      case 'sampled':
        set({ sample: part.result, progress: null, frame: part.result.steps });
        return;
      case 'swept':
        set({ sweep: { params, rows: part.rows } });
        return;
      case 'gallery': {
        const codes = get().pairInfo?.codes?.top.slice(0, GALLERY_SIZE) ?? [];
        set({ gallery: { params, codes, images: part.images } });
        return;
      }
    }
  };
  return {
    sample: null,
    sampleBusy: false,
    progress: null,
    sampleError: null,
    sweep: null,
    gallery: null,
    frame: 0,
    running: null,
    markPending: () => set({ sampleBusy: true }),
    runSample: async () => {
      const { client, pairInfo, settings, running } = get();
      if (!pairInfo) return;
      if (running !== null) client.cancel(running);
      const params = sampleParams(settings);
      const extras = settings.extras
        ? {
            sweepNfes: [
              ...new Set(
                SWEEP_NFES.map((n) => snapNfe(params.solver, params.afs, n, LIMITS.nfe.max)),
              ),
            ],
            galleryCodes: (pairInfo.codes?.top ?? []).slice(0, GALLERY_SIZE).map((c) => c.index),
          }
        : null;
      let id = -1;
      const req = client.request(
        { type: 'run', params, extras },
        { onPart: (part) => apply(id, params, part) },
      );
      id = req.id;
      set({ sampleBusy: true, sampleError: null, running: id, progress: null });
      if (!extras) set({ sweep: null, gallery: null });
      try {
        await req.done;
        if (get().running === id) set({ sampleBusy: false, running: null, progress: null });
      } catch (e) {
        if (e instanceof CancelledError || get().running !== id) return;
        set({
          sampleError: (e as Error).message,
          sampleBusy: false,
          progress: null,
          running: null,
        });
      }
    },
    cancelSample: () => {
      const { running, client } = get();
      if (running !== null) client.cancel(running);
      set({ running: null, sampleBusy: false, progress: null });
    },
    setFrame: (frame) => set({ frame }),
    timing: null,
    measure: async () => {
      const { client, settings } = get();
      set({ timing: null });
      try {
        const { timing } = await client.request({
          type: 'measure',
          params: sampleParams(settings),
        }).done;
        set({ timing });
      } catch (e) {
        if (!(e instanceof CancelledError)) set({ sampleError: (e as Error).message });
      }
    },
    drawCode: async () => {
      const { client, settings } = get();
      const { done } = client.request({ type: 'drawCode', seed: settings.seed });
      const { index } = await done;
      get().setSettings({ code: index });
    },
  };
};
