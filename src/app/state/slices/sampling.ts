import type { StateCreator } from 'zustand';
import type { Notices } from '../../normalize';
import { CancelledError } from '../../worker/client';
import type { RunPart, SampleParams } from '../../worker/protocol';
import { snapNfe } from '../../../core';
import { LAB_KEYS } from '../lab';
import { LIMITS, normalizeSettings, type Settings } from '../settings';
import type { AppState, SamplingSlice } from '../types';

const GALLERY_SIZE = 8;
/** The NFEs the sweep asks for, each snapped to one the solver spends exactly. */
const SWEEP_NFES = [2, 3, 4, 6, 10, 20] as const;
/** The settings a sample depends on (the lab's are LAB_KEYS). */
const SAMPLING_KEYS: readonly (keyof Settings)[] = [
  'solver',
  'nfe',
  'afs',
  'gridEnd',
  'churn',
  'batch',
  'seed',
  'code',
  'extras',
];
/** A rerun waits this long for the next change: a slider's drag runs once, at its end. */
const DEBOUNCE_MS = 120;

function changed(a: Settings, b: Settings, keys: readonly (keyof Settings)[]): boolean {
  return keys.some((k) => a[k] !== b[k]);
}

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

/**
 * The settings and the runs they make. A settings change goes from setSettings straight to the
 * run of the view on screen: the sample, or in the lab view the lab, which only the settings it
 * depends on rerun; a view change cancels what the other view had in flight. (A new pair or
 * backend reloads the models instead, state/wiring.ts; a loaded pair runs the view.)
 */
export const createSamplingSlice =
  (initial: Settings, notices: Notices = []): StateCreator<AppState, [], [], SamplingSlice> =>
  (set, get) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Busy from the change itself (what is on screen no longer matches), the run debounced. */
    const rerun = (prev: Settings) => {
      const { settings, cancelSample, cancelLab, markLabPending } = get();
      const lab = settings.view === 'lab';
      if (settings.view !== prev.view) (lab ? cancelSample : cancelLab)();
      else if (!changed(settings, prev, lab ? LAB_KEYS : SAMPLING_KEYS)) return;
      if (lab) markLabPending();
      else set({ sampleBusy: true });
      clearTimeout(timer);
      timer = setTimeout(() => get().runView(), DEBOUNCE_MS);
    };
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
      settings: initial,
      notices,
      dismissNotices: () => set({ notices: [] }),
      setSettings: (patch) => {
        const prev = get().settings;
        set((s) => {
          const next = normalizeSettings(patch, s.settings);
          const notices = next.notices.filter((n) => !s.notices.includes(n));
          return { settings: next.settings, notices: [...s.notices, ...notices] };
        });
        rerun(prev);
      },
      reroll: () => {
        const seed = Math.floor(Math.random() * 2 ** 31);
        get().setSettings({ seed });
      },
      toggleBit: (i) => {
        const { settings, sample } = get();
        const current = settings.code ?? sample?.codes[0] ?? 0;
        get().setSettings({ code: current ^ (1 << i) });
      },
      runView: () => {
        clearTimeout(timer);
        const state = get();
        void (state.settings.view === 'lab' ? state.runLab() : state.runSample());
      },
      sample: null,
      sampleBusy: false,
      progress: null,
      sampleError: null,
      sweep: null,
      gallery: null,
      frame: 0,
      running: null,
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
