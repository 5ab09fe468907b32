/**
 * The opt-in cross-origin-isolation service worker (public/coi-serviceworker.js). Static hosts such
 * as GitHub Pages cannot send COOP/COEP, so wasm runs single-threaded there; `?coi=1` registers the
 * worker, which re-serves the page with those headers, and reloads once into an isolated page.
 * The choice is remembered (localStorage) until `?coi=0`, which unregisters the worker.
 */
const KEY = 'qac-coi';
const RELOADED = 'qac-coi-reloaded';
const SCRIPT = 'coi-serviceworker.js';

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[kind];
  } catch {
    // Storage can be blocked (privacy settings); the opt-in then lasts for this URL only.
    return null;
  }
}

/**
 * Applies the opt-in, then calls `start` unless the page is about to reload into an isolated one
 * (starting the app only to tear it down would load the models twice).
 */
export function applyIsolationOptIn(search: string, start: () => void): void {
  const ask = new URLSearchParams(search).get('coi');
  const local = storage('localStorage');
  const session = storage('sessionStorage');
  const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (ask === '0') {
    local?.removeItem(KEY);
    void sw
      ?.getRegistrations()
      .then((regs) => regs.filter((r) => r.active?.scriptURL.endsWith(`/${SCRIPT}`)))
      .then((regs) => Promise.all(regs.map((r) => r.unregister())));
    start();
    return;
  }
  if (ask === '1') local?.setItem(KEY, '1');
  const wanted = ask === '1' || local?.getItem(KEY) === '1';
  // Already isolated (a host with the headers, or the worker in place): nothing to do.
  if (!wanted || window.crossOriginIsolated || !sw || !window.isSecureContext) {
    session?.removeItem(RELOADED);
    start();
    return;
  }
  // One reload per tab session: if the worker is in control and the page is still not isolated
  // (a browser without support), reloading again would loop.
  if (session?.getItem(RELOADED) === '1') {
    start();
    return;
  }
  void sw
    .register(new URL(SCRIPT, document.baseURI).href)
    .then(() => sw.ready)
    .then(() => {
      session?.setItem(RELOADED, '1');
      window.location.reload();
    })
    .catch((e: unknown) => {
      // Without the worker the app still runs, single-threaded; the badge says so.
      console.error(`registering ${SCRIPT} failed: ${(e as Error).message}`);
      start();
    });
}
