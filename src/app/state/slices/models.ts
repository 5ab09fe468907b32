import type { StateCreator } from 'zustand';
import { parseCatalog, type Catalog, type CatalogPair } from '../../../runtime/catalog';
import { groupPicked, PICKED_PREFIX, type PickedFile } from '../../worker/picked';
import type { PairInfo } from '../../worker/protocol';
import { isCustomSource, modelFolderUrl, sortPicked, sourceKey, type PickedPair } from '../byo';
import { normalizeSettings } from '../settings';
import type { AppState } from '../store';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelsSlice {
  catalog: Catalog | null;
  pairInfo: PairInfo | null;
  /**
   * What pairInfo describes: the catalog id of a catalog pair, else the source's key (byo.ts
   * sourceKey; the settings may already name the next).
   */
  loadedPair: string | null;
  /** Model folders from the file picker, loaded instead of the settings' pair or URL. */
  picked: PickedPair | null;
  /** True once the catalog was fetched or failed: loads before that would load twice. */
  catalogDone: boolean;
  loadState: LoadState;
  loadError: string | null;
  loadCatalog: () => Promise<void>;
  /** Loads the pair the settings name (or the catalog's default) into the worker. */
  loadPair: () => Promise<void>;
  /** Switches to a catalog pair (leaving any URL or picked model). */
  choosePair: (id: string) => void;
  /** Loads a model from a URL (manifest.json or its folder) with an optional baseline URL. */
  loadModelUrl: (model: string, baseline: string) => void;
  /** Loads picked model folders (a folder pick or the files of one model). */
  loadPickedFiles: (files: PickedFile[]) => Promise<void>;
}

let pickBatch = 0;
const PICKED_URL = new RegExp(`${PICKED_PREFIX.replace(/[.]/g, '\\.')}[^\\s]*`, 'g');

/** URLs resolve against the page, so the app works from any sub-path. */
export function modelsUrl(path: string): string {
  return new URL(`models/${path}`, document.baseURI).href;
}

/** The catalog pair on show; null while a URL or picked model takes its place. */
export function currentPair(
  s: Pick<AppState, 'catalog' | 'settings'> & Partial<Pick<AppState, 'picked'>>,
): CatalogPair | null {
  const c = s.catalog;
  if (!c || isCustomSource({ settings: s.settings, picked: s.picked ?? null })) return null;
  return c.pairs.find((p) => p.id === s.settings.pair) ?? null;
}

export const createModelsSlice: StateCreator<AppState, [], [], ModelsSlice> = (set, get) => ({
  catalog: null,
  pairInfo: null,
  loadedPair: null,
  picked: null,
  catalogDone: false,
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
        catalogDone: true,
        settings: catalog.pairs.some((p) => p.id === s.settings.pair)
          ? s.settings
          : { ...s.settings, pair: catalog.default },
      }));
      await get().loadPair();
    } catch (e) {
      set({ catalogDone: true });
      // A build without shipped models still opens a model given by URL.
      if (get().settings.model) await get().loadPair();
      else set({ loadState: 'error', loadError: (e as Error).message });
    }
  },
  // Source and settings change in one update, so the wiring reloads once.
  choosePair: (id) =>
    set((s) => ({
      picked: null,
      settings: normalizeSettings({ pair: id, code: null, model: '', baseline: '' }, s.settings)
        .settings,
    })),
  loadModelUrl: (model, baseline) =>
    set((s) => ({
      picked: null,
      settings: normalizeSettings(
        { model: model.trim(), baseline: baseline.trim(), code: null },
        s.settings,
      ).settings,
    })),
  loadPickedFiles: async (files) => {
    try {
      const picked = await sortPicked(groupPicked(files, ++pickBatch));
      // The URL cannot hold picked files: it goes back to naming the catalog pair.
      set((s) => ({
        picked,
        settings: normalizeSettings({ model: '', baseline: '', code: null }, s.settings).settings,
      }));
    } catch (e) {
      set({ loadState: 'error', loadError: (e as Error).message });
    }
  },
  loadPair: async () => {
    const state = get();
    const key = sourceKey(state);
    const pair = currentPair(state);
    const custom = isCustomSource(state);
    if (!pair && !custom) return;
    get().cancelSample();
    get().cancelEdit();
    get().cancelLab();
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
      lab: null,
    });
    const { picked, settings } = state;
    // A later switch owns the page now; its own load sets the state.
    const stale = () => sourceKey(get()) !== key;
    try {
      const urls = picked
        ? {
            qacUrl: picked.qac.url,
            baselineUrl: picked.baseline?.url ?? null,
            files: { ...picked.qac.files, ...picked.baseline?.files },
          }
        : custom
          ? {
              qacUrl: modelFolderUrl(settings.model, document.baseURI),
              baselineUrl: settings.baseline
                ? modelFolderUrl(settings.baseline, document.baseURI)
                : null,
            }
          : {
              qacUrl: modelsUrl(`${pair!.qac}/`),
              baselineUrl: modelsUrl(`${pair!.baseline}/`),
            };
      const { done } = get().client.request({
        type: 'load',
        ...urls,
        backend: settings.backend,
      });
      const { info } = await done;
      if (stale()) return;
      set({ pairInfo: info, loadedPair: pair ? pair.id : key, loadState: 'ready' });
    } catch (e) {
      if (stale()) return;
      const what = pair ? pair.label : picked ? 'picked files' : settings.model;
      // Picked files live under an internal URL (worker/picked.ts) that means nothing to a user.
      const message = (e as Error).message.replace(PICKED_URL, 'the picked files');
      // No pair, no run: a settings change made while it loaded will not be answered.
      set({ loadState: 'error', loadError: `${what}: ${message}`, sampleBusy: false });
    }
  },
});
