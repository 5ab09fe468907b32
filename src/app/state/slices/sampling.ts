import type { StateCreator } from 'zustand';
import { CancelledError } from '../../worker/client';
import type { SampleResult, SweepRow, Timing } from '../../worker/protocol';
import { sampleParams, snapNfe, SWEEP_NFES } from '../nfe';
import type { AppState } from '../store';

export interface Progress {
  model: 'qac' | 'baseline';
  step: number;
  steps: number;
}

export interface Gallery {
  codes: { index: number; weight: number }[];
  images: Float32Array;
}

export interface SamplingSlice {
  sample: SampleResult | null;
  sampleBusy: boolean;
  progress: Progress | null;
  sampleError: string | null;
  sweep: SweepRow[] | null;
  gallery: Gallery | null;
  /** The filmstrip frame (step) on show. */
  frame: number;
  /** Request id of the run in flight, for cancelling. */
  running: number[];
  runSample: () => Promise<void>;
  cancelSample: () => void;
  setFrame: (frame: number) => void;
  timing: Timing | null;
  /** Times the sampler against bare denoiser calls at the current settings. */
  measure: () => Promise<void>;
  /** Replaces the fixed code with one drawn from the sampling weights (seeded). */
  drawCode: () => Promise<void>;
}

const GALLERY_SIZE = 8;

export const createSamplingSlice: StateCreator<AppState, [], [], SamplingSlice> = (set, get) => ({
  sample: null,
  sampleBusy: false,
  progress: null,
  sampleError: null,
  sweep: null,
  gallery: null,
  frame: 0,
  running: [],
  runSample: async () => {
    const { client, pairInfo, settings } = get();
    if (!pairInfo) return;
    get().cancelSample();
    const params = sampleParams(settings);
    const main = client.request(
      { type: 'sample', params },
      { onProgress: (p) => set({ progress: { model: p.model, step: p.step, steps: p.steps } }) },
    );
    set({ sampleBusy: true, sampleError: null, running: [main.id], progress: null });
    try {
      const { result } = await main.done;
      set({ sample: result, progress: null, frame: result.steps });
      if (!settings.extras) {
        set({ sweep: null, gallery: null, sampleBusy: false, running: [] });
        return;
      }
      const sweepNfes = [...new Set(SWEEP_NFES.map((n) => snapNfe(params.solver, params.afs, n)))];
      const sweep = client.request({ type: 'sweep', params, nfes: sweepNfes });
      const codes = pairInfo.codes.top.slice(0, GALLERY_SIZE);
      const gallery = client.request({ type: 'gallery', params, codes: codes.map((c) => c.index) });
      set({ running: [sweep.id, gallery.id] });
      const [{ rows }, { images }] = await Promise.all([sweep.done, gallery.done]);
      set({ sweep: rows, gallery: { codes, images }, sampleBusy: false, running: [] });
    } catch (e) {
      if (e instanceof CancelledError) return;
      set({ sampleError: (e as Error).message, sampleBusy: false, progress: null, running: [] });
    }
  },
  cancelSample: () => {
    const { running, client } = get();
    for (const id of running) client.cancel(id);
    set({ running: [], sampleBusy: false, progress: null });
  },
  setFrame: (frame) => set({ frame }),
  timing: null,
  measure: async () => {
    const { client, settings } = get();
    set({ timing: null });
    try {
      const { timing } = await client.request({ type: 'measure', params: sampleParams(settings) })
        .done;
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
});
