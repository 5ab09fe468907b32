import type { Plugin } from 'vite';

/**
 * The built page's Content-Security-Policy. Only same-origin code runs; 'wasm-unsafe-eval' lets
 * onnxruntime-web compile its wasm, and blob: workers cover its threaded build. The opt-in
 * cross-origin-isolation service worker (public/coi-serviceworker.js) adds COOP/COEP headers only
 * and keeps this policy as it is (it is a meta tag in the page it re-serves). Dev is left without
 * it because Vite's dev server injects inline scripts.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  // Models may come from any https server (?model=URL) or a local one; only data is fetched, and
  // scripts stay same-origin, so this opens no way to run foreign code.
  "connect-src 'self' blob: data: https: http://localhost:* http://127.0.0.1:*",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

export function cspPlugin(): Plugin {
  return {
    name: 'qac-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}
