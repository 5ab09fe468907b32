import type { Plugin } from 'vite';
import { CSP } from '../security/policy.ts';

/**
 * Puts the page's Content-Security-Policy (security/policy.ts) in the built index.html as a meta
 * tag, so it holds on any static host. The app's workers inherit it (they start from blob: URLs,
 * worker/client.ts), and the opt-in cross-origin-isolation service worker
 * (public/coi-serviceworker.js) adds COOP/COEP headers only, keeping the meta tag as it is. Dev is
 * left without it because Vite's dev server injects inline scripts.
 */
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
