import type { StateCreator } from 'zustand';
import type { AppState } from '../store';

/** How the last "copy link" went: copied, or the link shown for copying by hand. */
export type LinkCopy =
  { state: 'copied'; url: string } | { state: 'manual'; url: string; why: string };

export interface ShareSlice {
  linkCopy: LinkCopy | null;
  /** Copies the URL of the current view (it holds every setting); shows it where that fails. */
  copyLink: () => Promise<void>;
  dismissLink: () => void;
}

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
