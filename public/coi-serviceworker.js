/*
 * Opt-in cross-origin isolation for static hosts that cannot set headers (GitHub Pages).
 *
 * onnxruntime-web needs SharedArrayBuffer for wasm threads, which browsers only allow on a
 * cross-origin-isolated page, i.e. one served with COOP and COEP headers. This service worker
 * re-serves this origin's responses with those two headers added. It changes nothing else: bodies,
 * statuses and the other headers stay as they are, so the page's Content-Security-Policy (a meta
 * tag in index.html) is untouched. The page registers it only when asked (?coi=1), see
 * src/app/coi.ts; ?coi=0 unregisters it.
 */
/* global self, fetch, Headers, Response, URL */

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Chromium throws on this combination when the request is not same-origin.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  // Other origins' responses pass through untouched: the page fetches them with CORS, which
  // require-corp accepts, and a service worker cannot vouch for another origin anyway.
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      // Opaque and error responses cannot be rebuilt; they go through as they are.
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    }),
  );
});
