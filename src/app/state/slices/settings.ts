import type { StateCreator } from 'zustand';
import type { Settings } from '../settings';
import type { AppState } from '../store';

export interface SettingsSlice {
  settings: Settings;
  setSettings: (patch: Partial<Settings>) => void;
  /** A fresh random seed. */
  reroll: () => void;
  /** Flips bit i of the QAC code; starting from the code the first sample used when drawing. */
  toggleBit: (i: number) => void;
}

export const createSettingsSlice =
  (initial: Settings): StateCreator<AppState, [], [], SettingsSlice> =>
  (set, get) => ({
    settings: initial,
    setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
    reroll: () => {
      const seed = Math.floor(Math.random() * 2 ** 31);
      get().setSettings({ seed });
    },
    toggleBit: (i) => {
      const { settings, sample } = get();
      const current = settings.code ?? sample?.codes[0] ?? 0;
      get().setSettings({ code: current ^ (1 << i) });
    },
  });
