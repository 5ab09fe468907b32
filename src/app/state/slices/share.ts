import type { StateCreator } from 'zustand';
import type { AppState, ShareSlice } from '../types';

export const createShareSlice: StateCreator<AppState, [], [], ShareSlice> = (set) => ({
  linkCopy: null,
  copyLink: async () => {
    // The wiring keeps the URL in step with the settings, so this is the current view's link.
    const url = window.location.href;
    try {
      if (!navigator.clipboard) throw new Error('this page has no clipboard access');
      await navigator.clipboard.writeText(url);
      set({ linkCopy: { state: 'copied', url } });
    } catch (e) {
      // Insecure origins, a denied permission or an unfocused page: the user copies it instead.
      set({ linkCopy: { state: 'manual', url, why: (e as Error).message || String(e) } });
    }
  },
  dismissLink: () => set({ linkCopy: null }),
});
