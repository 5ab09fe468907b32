import type { StateCreator } from 'zustand';
import { decodeUpload, exampleTile } from '../../images/decode';
import { CancelledError } from '../../worker/client';
import { modelsUrl } from './models';
import type { AppState, EditingSlice } from '../types';

export const createEditingSlice: StateCreator<AppState, [], [], EditingSlice> = (set, get) => ({
  editInput: null,
  inputError: null,
  mask: null,
  maskTool: 'brush',
  editResult: null,
  editBusy: false,
  editError: null,
  editProgress: 0,
  editRunning: null,
  encoded: null,
  pickExample: async (k) => {
    const { pairInfo, loadedPair } = get();
    // The loaded pair's examples, not those of a pair the settings switched to meanwhile.
    const pair = get().catalog?.pairs.find((p) => p.id === loadedPair);
    if (!pairInfo || !pair?.examples) return;
    const stillLoaded = () => get().loadedPair === pair.id && get().pairInfo === pairInfo;
    try {
      const { tensor, index, count } = await exampleTile(
        modelsUrl(pair.examples),
        k,
        pairInfo.shape,
      );
      if (!stillLoaded()) return;
      get().setSettings({ editExample: index });
      if (index !== k) {
        set((s) => ({
          notices: [
            ...s.notices,
            `editExample ${k} is past the last of ${count} examples; using ${index}`,
          ],
        }));
      }
      get().pickTensor(tensor, `dataset example ${index + 1}`);
    } catch (e) {
      if (stillLoaded()) set({ inputError: (e as Error).message });
    }
  },
  pickUpload: async (file) => {
    const { pairInfo } = get();
    if (!pairInfo) return;
    try {
      const { tensor, notice } = await decodeUpload(file, pairInfo.shape);
      set({ editInput: { tensor, label: `upload "${file.name}"`, notice }, inputError: null });
      set({ editResult: null, encoded: null });
    } catch (e) {
      set({ inputError: (e as Error).message });
    }
  },
  pickTensor: (tensor, label) =>
    set({
      editInput: { tensor, label, notice: null },
      inputError: null,
      editResult: null,
      encoded: null,
    }),
  setMask: (mask) => set({ mask }),
  setMaskTool: (maskTool) => set({ maskTool }),
  runEdit: async () => {
    const { client, editInput, settings, mask } = get();
    if (!editInput) return;
    get().cancelEdit();
    const mode = settings.editMode;
    const req = client.request(
      {
        type: 'edit',
        mode,
        steps: settings.editSteps,
        seed: settings.seed,
        reference: editInput.tensor.slice(),
        mask: mode === 'inpaint' ? (mask?.slice() ?? null) : null,
      },
      {
        onPart: (p) => {
          if (p.type === 'progress') set({ editProgress: p.step / p.steps });
        },
      },
    );
    set({ editBusy: true, editError: null, editRunning: req.id, editProgress: 0 });
    try {
      const { result } = await req.done;
      set({ editResult: result, editBusy: false, editRunning: null });
    } catch (e) {
      if (e instanceof CancelledError) return;
      set({ editError: (e as Error).message, editBusy: false, editRunning: null });
    }
  },
  cancelEdit: () => {
    const { editRunning, client } = get();
    if (editRunning !== null) client.cancel(editRunning);
    set({ editBusy: false, editRunning: null });
  },
  encodeInput: async () => {
    const { client, editInput } = get();
    if (!editInput) return;
    try {
      const { index } = await client.request({ type: 'encode', image: editInput.tensor.slice() })
        .done;
      set({ encoded: index });
      get().setSettings({ code: index });
    } catch (e) {
      set({ inputError: (e as Error).message });
    }
  },
});
