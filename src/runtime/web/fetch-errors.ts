/** The fetch a model source downloads with (the page's, a worker's policed one, a test's). */
export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

/** The page's origin, where there is one (a worker started from a blob: URL has the page's). */
function pageOrigin(): string | null {
  const origin = globalThis.location?.origin;
  return origin && origin !== 'null' ? origin : null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Fetches `url` once more as `init` says; null when that fails too. */
async function probe(
  fetchFn: FetchFn,
  url: string,
  init: RequestInit,
  signal: AbortSignal,
): Promise<Response | null> {
  try {
    const r = await fetchFn(url, { ...init, cache: 'no-store', signal });
    await r.body?.cancel();
    return r;
  } catch {
    if (signal.aborted) throw signal.reason;
    return null;
  }
}

/**
 * Why a fetch of `url` failed, in words. A browser reports every failure of a fetch (a CORS
 * refusal, a redirect loop, a redirect to file: or data:, a server that is down) as the same bare
 * TypeError, so this asks again to tell them apart: without following redirects (a redirect is
 * then visible as one), and for another origin, without CORS (an answer then means the server is
 * up but does not allow this page). An error that is not a TypeError is the caller's own refusal
 * and is passed on as it is.
 */
export async function whyFetchFailed(
  fetchFn: FetchFn,
  url: string,
  error: unknown,
  signal: AbortSignal,
): Promise<string> {
  const message = (error as Error).message ?? String(error);
  if ((error as Error).name !== 'TypeError') return message;
  const cannot = `cannot fetch ${url} (${message})`;
  const manual = await probe(fetchFn, url, { redirect: 'manual' }, signal);
  if (
    manual &&
    (manual.type === 'opaqueredirect' || (manual.status >= 300 && manual.status < 400))
  ) {
    return (
      `${cannot}: it redirects, and the browser would not follow: a redirect loop (over 20 ` +
      `redirects), or a redirect to a URL a page may not fetch (file:, data: or another ` +
      `non-http scheme, plain http from an https page, or a host this page's ` +
      `Content-Security-Policy refuses); the browser does not tell the page which`
    );
  }
  const page = pageOrigin();
  const origin = originOf(url);
  if (!page || !origin || origin === page) {
    return manual
      ? `${cannot}; it answered a second request (HTTP ${manual.status}), so try again`
      : `${cannot}: the server is down or unreachable`;
  }
  const opaque = await probe(fetchFn, url, { mode: 'no-cors' }, signal);
  if (opaque) {
    return (
      `${cannot}: ${origin} answers, but its server does not allow this page (${page}) to ` +
      `read it (CORS): it must send Access-Control-Allow-Origin: * or this page's origin`
    );
  }
  return (
    `${cannot}; ${origin} is another origin than this page (${page}): its server must allow ` +
    `the request with CORS (send Access-Control-Allow-Origin: * or this page's origin), or it ` +
    `is down or unreachable`
  );
}
