import { sourceKey } from './byo';
import { settingsToSearch } from './settings';
import type { AppStore } from './types';

/**
 * The store's reactions to what is not a run: settings go to the URL; a new source (pair, model
 * URL, picked files) or backend reloads the models, and a loaded pair runs the view on screen and
 * picks up its editing example. A settings change reruns the view from setSettings itself
 * (slices/sampling.ts).
 */
export function wire(store: AppStore): () => void {
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.settings !== prev.settings) {
      const search = settingsToSearch(state.settings);
      if (search !== window.location.search) {
        window.history.replaceState(
          null,
          '',
          `${window.location.pathname}${search}${window.location.hash}`,
        );
      }
    }
    // Source and settings change in one update, so this loads once.
    const reload =
      prev.catalogDone &&
      (state.picked !== prev.picked ||
        sourceKey(state) !== sourceKey(prev) ||
        state.settings.backend !== prev.settings.backend);
    if (reload) void state.loadPair();
    if (state.loadState === 'ready' && prev.loadState !== 'ready') {
      state.runView();
      void state.pickExample(state.settings.editExample);
    }
  });
  store.getState().client.onEvent = ({ info: backend }) =>
    store.setState((s) => ({ pairInfo: s.pairInfo && { ...s.pairInfo, backend } }));
  void store.getState().loadCatalog();
  return unsubscribe;
}
