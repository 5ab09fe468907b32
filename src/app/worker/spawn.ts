/**
 * Starts a module worker that runs under the page's Content-Security-Policy. A worker loaded from
 * its own URL gets the policy of its script's response headers, not the page's meta tag, so on a
 * static host the workers (which do the model fetches) ran with no connect-src at all. A worker
 * started from a blob: URL inherits its creator's policy instead; the blob only imports the real
 * script (same origin, allowed by script-src 'self'), whose own imports resolve against its URL.
 */
export function startPolicyWorker(scriptUrl: string, name: string): Worker {
  const absolute = new URL(scriptUrl, document.baseURI).href;
  const stub = new Blob([`import ${JSON.stringify(absolute)};\n`], { type: 'text/javascript' });
  // A few bytes, one per worker: never revoked, as revoking would race the worker's fetch of it.
  return new Worker(URL.createObjectURL(stub), { type: 'module', name });
}
