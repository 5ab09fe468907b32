import type { StateCreator } from 'zustand';
import type { Notices } from '../../normalize';
import { normalizeSettings, type Settings } from '../settings';
import type { AppState, SettingsSlice } from '../types';

export const createSettingsSlice =
  (initial: Settings, notices: Notices = []): StateCreator<AppState, [], [], SettingsSlice> =>
  (set, get) => ({
    settings: initial,
    notices,
    dismissNotices: () => set({ notices: [] }),
    setSettings: (patch) =>
      set((s) => {
        const next = normalizeSettings(patch, s.settings);
        const notices = next.notices.filter((n) => !s.notices.includes(n));
        return { settings: next.settings, notices: [...s.notices, ...notices] };
      }),
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
