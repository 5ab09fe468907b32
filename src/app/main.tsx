import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyIsolationOptIn } from './coi';
import { StoreContext } from './state/context';
import { settingsFromSearch } from './state/settings';
import { createAppStore } from './state/store';
import { wire } from './state/wiring';
import { startSampler, startTrainer } from './worker/client';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
performance.mark('app:main');
// ?coi=1 on a host without COOP/COEP: the page reloads isolated before the app starts (coi.ts).
applyIsolationOptIn(window.location.search, () => {
  const { settings, notices } = settingsFromSearch(window.location.search);
  const store = createAppStore(
    { client: startSampler(), trainClient: startTrainer() },
    settings,
    notices,
  );
  wire(store);
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
});
