import { sourceKey } from './byo';
import { settingsToSearch, type Settings } from './settings';
import type { AppStore } from './store';

const SAMPLING_KEYS: (keyof Settings)[] = [
  'solver',
  'nfe',
  'afs',
  'gridEnd',
  'churn',
  'batch',
  'seed',
  'code',
  'extras',
];
const DEBOUNCE_MS = 120;

function changed(a: Settings, b: Settings, keys: (keyof Settings)[]): boolean {
  return keys.some((k) => a[k] !== b[k]);
}

/**
 * The store's reactions: settings go to the URL; a new pair or backend reloads the models; any
 * sampling setting re-samples (debounced; the run in flight is superseded); a loaded pair samples
 * and picks up its editing example.
 */
export function wire(store: AppStore): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resample = () => {
    // Busy from the change itself: what is on screen no longer matches the settings.
    store.getState().markPending();
    clearTimeout(timer);
    timer = setTimeout(() => void store.getState().runSample(), DEBOUNCE_MS);
  };
  const unsubscribe = store.subscribe((state, prev) => {
    // Picked files change the source without touching the settings.
    if (state.picked !== prev.picked && prev.catalogDone) void state.loadPair();
    if (state.settings !== prev.settings) {
      const search = settingsToSearch(state.settings);
      if (search !== window.location.search) {
        window.history.replaceState(
          null,
          '',
          `${window.location.pathname}${search}${window.location.hash}`,
        );
      }
      const reload =
        prev.catalogDone &&
        state.picked === prev.picked &&
        (sourceKey(state) !== sourceKey(prev) || state.settings.backend !== prev.settings.backend);
      if (reload) void state.loadPair();
      else if (changed(state.settings, prev.settings, SAMPLING_KEYS)) resample();
    }
    if (state.loadState === 'ready' && prev.loadState !== 'ready') {
      clearTimeout(timer);
      void state.runSample();
      void state.pickExample(state.settings.editExample);
    }
  });
  store.getState().client.onBackend = (backend) =>
    store.setState((s) => ({ pairInfo: s.pairInfo && { ...s.pairInfo, backend } }));
  void store.getState().loadCatalog();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
