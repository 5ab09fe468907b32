import { sourceKey } from './byo';
import { LAB_KEYS } from './lab';
import { settingsToSearch, type Settings } from './settings';
import type { AppState, AppStore } from './types';

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

function changed(a: Settings, b: Settings, keys: readonly (keyof Settings)[]): boolean {
  return keys.some((k) => a[k] !== b[k]);
}

/**
 * The store's reactions: settings go to the URL; a new pair or backend reloads the models; any
 * sampling setting re-samples (debounced; the run in flight is superseded); a loaded pair samples
 * and picks up its editing example. In the lab view the lab takes the sample's place: only the
 * settings it depends on rerun it, and nothing samples until the page is back on the sample view
 * (leaving either view cancels what it had in flight).
 */
export function wire(store: AppStore): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const resample = () => {
    // Busy from the change itself: what is on screen no longer matches the settings.
    store.getState().markPending();
    clearTimeout(timer);
    timer = setTimeout(() => void store.getState().runSample(), DEBOUNCE_MS);
  };
  const relab = () => {
    store.getState().markLabPending();
    clearTimeout(timer);
    timer = setTimeout(() => void store.getState().runLab(), DEBOUNCE_MS);
  };
  const start = (state: AppState) =>
    state.settings.view === 'lab' ? void state.runLab() : void state.runSample();
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
      const lab = state.settings.view === 'lab';
      if (reload) void state.loadPair();
      else if (state.settings.view !== prev.settings.view) {
        clearTimeout(timer);
        if (lab) {
          state.cancelSample();
          relab();
        } else {
          state.cancelLab();
          resample();
        }
      } else if (changed(state.settings, prev.settings, lab ? LAB_KEYS : SAMPLING_KEYS)) {
        if (lab) relab();
        else resample();
      }
    }
    if (state.loadState === 'ready' && prev.loadState !== 'ready') {
      clearTimeout(timer);
      start(state);
      void state.pickExample(state.settings.editExample);
    }
  });
  store.getState().client.onEvent = ({ info: backend }) =>
    store.setState((s) => ({ pairInfo: s.pairInfo && { ...s.pairInfo, backend } }));
  void store.getState().loadCatalog();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
