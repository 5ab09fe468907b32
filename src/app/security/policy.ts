/**
 * Where the app may fetch from, as Content-Security-Policy source expressions. The built page's
 * policy (build/cspPlugin.ts) is made from these lists, and every model URL is checked against
 * MODEL_SOURCES in the page and in the workers before it is fetched (security/model-url.ts), so
 * the meta tag, the worker check and the messages cannot drift apart.
 */

/**
 * Model folders may come from the page's own origin, any https server, or a server on this
 * computer (plain http is what a local `npx serve` or `python -m http.server` gives). Only data
 * is fetched from them; scripts stay same-origin, so this opens no way to run foreign code.
 */
export const MODEL_SOURCES = [
  "'self'",
  'https:',
  'http://localhost:*',
  'http://127.0.0.1:*',
] as const;

/**
 * connect-src: the model sources, plus blob: and data: for the app's own in-memory fetches
 * (onnxruntime-web's wasm, picked and exported files). A model URL never uses these two.
 */
const CONNECT_SOURCES = [...MODEL_SOURCES, 'blob:', 'data:'] as const;

/**
 * The built page's policy. Only same-origin code runs; 'wasm-unsafe-eval' lets onnxruntime-web
 * compile its wasm, and blob: workers cover its threaded build and the app's own workers (which
 * start from a blob: so that they inherit this policy: worker/client.ts).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  `connect-src ${CONNECT_SOURCES.join(' ')}`,
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
