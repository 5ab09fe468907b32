import type { StateCreator } from 'zustand';
import { parseCatalog, type CatalogPair } from '../../../runtime/catalog';
import { checkedModelUrl, shortUrl } from '../../security/model-url';
import { CancelledError } from '../../worker/client';
import { groupPicked, PICKED_PREFIX } from '../../worker/picked';
import { isCustomSource, modelFolderUrl, sortPicked, sourceKey } from '../byo';
import { normalizeSettings } from '../settings';
import type { AppState, ModelsSlice } from '../types';

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
  loadRequest: null,
  loadBytes: null,
  loaderError: null,
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
  loadModelUrl: (model, baseline) => {
    try {
      // A URL the page may not fetch is refused here, before the pair on screen is unloaded.
      for (const url of [model, baseline].filter((u) => u.trim() !== '')) {
        checkedModelUrl(url, document.baseURI, window.location.origin);
      }
    } catch (e) {
      set({ loaderError: (e as Error).message });
      return;
    }
    set((s) => ({
      picked: null,
      loaderError: null,
      settings: normalizeSettings(
        { model: model.trim(), baseline: baseline.trim(), code: null },
        s.settings,
      ).settings,
    }));
  },
  loadPickedFiles: async (files) => {
    try {
      const picked = await sortPicked(groupPicked(files, ++pickBatch));
      // The URL cannot hold picked files: it goes back to naming the catalog pair.
      set((s) => ({
        picked,
        loaderError: null,
        settings: normalizeSettings({ model: '', baseline: '', code: null }, s.settings).settings,
      }));
    } catch (e) {
      // A refused pick changes nothing: the pair on screen stays loaded.
      set({ loaderError: (e as Error).message });
    }
  },
  cancelLoad: () => {
    const id = get().loadRequest;
    if (id !== null) get().client.cancel(id);
  },
  loadPair: async () => {
    const state = get();
    const key = sourceKey(state);
    const pair = currentPair(state);
    const custom = isCustomSource(state);
    if (!pair && !custom) return;
    // Latest wins: the load in flight stops now, its downloads with it (the worker aborts them
    // too when the new load arrives).
    get().cancelLoad();
    get().cancelSample();
    get().cancelEdit();
    get().cancelLab();
    set({
      loadState: 'loading',
      loadError: null,
      loadRequest: null,
      loadBytes: null,
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
    let id: number | null = null;
    // A later switch owns the page now; its own load sets the state.
    const stale = () => sourceKey(get()) !== key || get().loadRequest !== id;
    const what = pair ? pair.label : picked ? 'picked files' : shortUrl(settings.model);
    try {
      // Checked here before the worker is asked (and again there, before each fetch).
      const modelUrl = (input: string) =>
        modelFolderUrl(
          checkedModelUrl(input, document.baseURI, window.location.origin).href,
          document.baseURI,
        );
      const urls = picked
        ? {
            qacUrl: picked.qac.url,
            baselineUrl: picked.baseline?.url ?? null,
            files: { ...picked.qac.files, ...picked.baseline?.files },
          }
        : custom
          ? {
              qacUrl: modelUrl(settings.model),
              baselineUrl: settings.baseline ? modelUrl(settings.baseline) : null,
            }
          : {
              qacUrl: modelsUrl(`${pair!.qac}/`),
              baselineUrl: modelsUrl(`${pair!.baseline}/`),
            };
      const request = get().client.request(
        { type: 'load', ...urls, backend: settings.backend },
        {
          onPart: (part) => {
            if (part.type === 'loadProgress' && !stale())
              set({ loadBytes: { received: part.received, total: part.total } });
          },
        },
      );
      id = request.id;
      set({ loadRequest: id });
      const { info } = await request.done;
      if (stale()) return;
      set({
        pairInfo: info,
        loadedPair: pair ? pair.id : key,
        loadState: 'ready',
        loadRequest: null,
        loadBytes: null,
      });
    } catch (e) {
      if (stale()) return;
      const message =
        e instanceof CancelledError
          ? 'loading was cancelled; no model is loaded (choose a pair, or load a model)'
          : // Picked files live under an internal URL (worker/picked.ts) that means nothing to a user.
            (e as Error).message.replace(PICKED_URL, 'the picked files');
      // No pair, no run: a settings change made while it loaded will not be answered.
      set({
        loadState: 'error',
        loadError: `${what}: ${message}`,
        loadRequest: null,
        loadBytes: null,
        sampleBusy: false,
      });
    }
  },
});
