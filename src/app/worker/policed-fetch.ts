/// <reference lib="webworker" />
import { allowedList, modelUrlRefusal, shortUrl } from '../security/model-url';

// The worker runs under the page's policy (worker/client.ts); its violations are reported here, on
// the worker's global scope, a moment after the fetch they stopped has failed.
const violations: string[] = [];
self.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI));

/**
 * fetch for model files in the worker: every URL is checked against the page's allow-list
 * (security/model-url.ts) before it is fetched, and so is where a redirect ended. A redirect the
 * policy blocked (the browser only says "Failed to fetch") is named from the violation it
 * reported. Refusals are plain Errors, which the loader passes on as they are.
 */
export async function policedFetch(url: string, init?: RequestInit): Promise<Response> {
  const page = self.location.origin;
  const refusal = modelUrlRefusal(url, page);
  if (refusal) throw new Error(refusal);
  const seen = violations.length;
  // The browser reports a blocked redirect under the URL that was asked for.
  const blocked = () => violations.slice(seen).some((v) => v !== '' && url.startsWith(v));
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    await new Promise((r) => setTimeout(r, 20));
    if (blocked()) {
      throw new Error(
        `${shortUrl(url)} redirects to a URL outside this page's Content-Security-Policy, which ` +
          `blocked it: connect-src allows ${allowedList(page)}`,
        { cause: e },
      );
    }
    throw e;
  }
  const landed = response.redirected ? modelUrlRefusal(response.url, page) : null;
  if (landed) {
    await response.body?.cancel();
    throw new Error(`${shortUrl(url)} redirected: ${landed}`);
  }
  return response;
}
