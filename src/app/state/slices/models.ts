import type { StateCreator } from 'zustand';
import { parseCatalog, type Catalog, type CatalogPair } from '../../../runtime/catalog';
import type { PairInfo } from '../../worker/protocol';
import type { AppState } from '../store';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelsSlice {
  catalog: Catalog | null;
  pairInfo: PairInfo | null;
  /** The catalog id of the pair pairInfo describes (the settings may already name the next). */
  loadedPair: string | null;
  loadState: LoadState;
  loadError: string | null;
  loadCatalog: () => Promise<void>;
  /** Loads the pair the settings name (or the catalog's default) into the worker. */
  loadPair: () => Promise<void>;
}

/** URLs resolve against the page, so the app works from any sub-path. */
export function modelsUrl(path: string): string {
  return new URL(`models/${path}`, document.baseURI).href;
}

export function currentPair(s: Pick<AppState, 'catalog' | 'settings'>): CatalogPair | null {
  const c = s.catalog;
  if (!c) return null;
  return c.pairs.find((p) => p.id === s.settings.pair) ?? null;
}

export const createModelsSlice: StateCreator<AppState, [], [], ModelsSlice> = (set, get) => ({
  catalog: null,
  pairInfo: null,
  loadedPair: null,
  loadState: 'idle',
  loadError: null,
  loadCatalog: async () => {
    set({ loadState: 'loading', loadError: null });
    try {
      const url = modelsUrl('catalog.json');
      const res = await fetch(url);
      if (!res.ok) {
        throw new Error(
          res.status === 404
            ? 'no models are shipped with this build (models/catalog.json is missing)'
            : `models/catalog.json: HTTP ${res.status}`,
        );
      }
      const catalog = parseCatalog(await res.text());
      // Catalog and pair in one update, so the wiring does not see a pair change and load twice.
      set((s) => ({
        catalog,
        settings: catalog.pairs.some((p) => p.id === s.settings.pair)
          ? s.settings
          : { ...s.settings, pair: catalog.default },
      }));
      await get().loadPair();
    } catch (e) {
      set({ loadState: 'error', loadError: (e as Error).message });
    }
  },
  loadPair: async () => {
    const pair = currentPair(get());
    if (!pair) return;
    get().cancelSample();
    get().cancelEdit();
    set({
      loadState: 'loading',
      loadError: null,
      pairInfo: null,
      loadedPair: null,
      sample: null,
      sweep: null,
      gallery: null,
      timing: null,
      editInput: null,
      editResult: null,
      mask: null,
      encoded: null,
    });
    try {
      const { done } = get().client.request({
        type: 'load',
        qacUrl: modelsUrl(`${pair.qac}/`),
        baselineUrl: modelsUrl(`${pair.baseline}/`),
        backend: get().settings.backend,
      });
      const { info } = await done;
      // A later switch owns the page now; its own load sets the state.
      if (currentPair(get())?.id !== pair.id) return;
      set({ pairInfo: info, loadedPair: pair.id, loadState: 'ready' });
    } catch (e) {
      if (currentPair(get())?.id !== pair.id) return;
      set({ loadState: 'error', loadError: `${pair.label}: ${(e as Error).message}` });
    }
  },
});
