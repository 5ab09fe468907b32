import type { StateCreator } from 'zustand';
import { CancelledError } from '../../worker/client';
import type { LabCell, RunPart } from '../../worker/protocol';
import { labKey, labLayout, labParams, labRuns, type LabSlot } from '../lab';
import type { AppState, LabSlice } from '../types';

function filledSlots(layout: LabSlot[][], cells: Record<string, LabCell>): number {
  return layout.flat().filter((slot) => labKey(slot) in cells).length;
}

/**
 * Cells that arrive within this many ms go on screen in one update: the worker can post a cell
 * every few ms, and drawing the grid once per cell would leave the page seconds behind it.
 */
const FLUSH_MS = 100;

export const createLabSlice: StateCreator<AppState, [], [], LabSlice> = (set, get) => {
  let pending: { id: number; parts: RunPart[] } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Applies the parts received since the last flush, if their lab is still the current one. */
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = null;
    let lab = get().lab;
    if (!batch || get().labRunning !== batch.id || !lab) return;
    let cells = lab.cells;
    for (const part of batch.parts) {
      if (part.type === 'labReference') lab = { ...lab, reference: part.reference };
      else if (part.type === 'labCell') cells = { ...cells, [labKey(part.cell)]: part.cell };
    }
    set({ lab: { ...lab, cells, filled: filledSlots(lab.layout, cells) } });
  };
  const apply = (id: number, part: RunPart) => {
    if (get().labRunning !== id) return;
    if (pending?.id !== id) pending = { id, parts: [] };
    pending.parts.push(part);
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  return {
    lab: null,
    labBusy: false,
    labError: null,
    labRunning: null,
    markLabPending: () => set({ labBusy: true }),
    runLab: async () => {
      const { client, pairInfo, settings, labRunning } = get();
      if (!pairInfo) return;
      if (labRunning !== null) client.cancel(labRunning);
      const params = labParams(settings);
      const layout = labLayout(settings.afs);
      const t0 = performance.now();
      let id = -1;
      const req = client.request(
        { type: 'lab', params, runs: labRuns(layout) },
        { onPart: (part) => apply(id, part) },
      );
      id = req.id;
      set({
        lab: {
          params,
          layout,
          cells: {},
          reference: null,
          total: layout.flat().length,
          filled: 0,
          fillMs: null,
        },
        labBusy: true,
        labError: null,
        labRunning: id,
      });
      try {
        await req.done;
        flush();
        const lab = get().lab;
        if (get().labRunning !== id || !lab) return;
        set({
          lab: { ...lab, fillMs: performance.now() - t0 },
          labBusy: false,
          labRunning: null,
        });
      } catch (e) {
        if (e instanceof CancelledError || get().labRunning !== id) return;
        set({ labError: (e as Error).message, labBusy: false, labRunning: null });
      }
    },
    cancelLab: () => {
      const { labRunning, client } = get();
      if (labRunning !== null) client.cancel(labRunning);
      set({ labRunning: null, labBusy: false });
    },
  };
};
