type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

/** How far a load's downloads are: bytes received, and the sum of the sizes servers announced. */
export interface LoadBytes {
  received: number;
  /** Sum of the Content-Length headers seen so far (a file without one adds nothing). */
  total: number;
}

/** Reports are spaced this far apart: a 150 MB download arrives in thousands of chunks. */
const REPORT_MS = 100;

/**
 * Wraps a loader's fetch so every response body is counted as it streams in, for the page's
 * progress bar on large models. The bytes pass through unchanged; files answered from the Cache
 * API never reach fetch, so a cached model reports nothing and needs no bar.
 */
export function countingFetch(inner: FetchFn, report: (bytes: LoadBytes) => void): FetchFn {
  const bytes: LoadBytes = { received: 0, total: 0 };
  let last = 0;
  const tell = (force = false) => {
    const now = Date.now();
    if (!force && now - last < REPORT_MS) return;
    last = now;
    report({ ...bytes });
  };
  return async (url, init) => {
    const response = await inner(url, init);
    const length = Number(response.headers.get('content-length'));
    if (!response.ok || !response.body) return response;
    if (Number.isFinite(length) && length > 0) bytes.total += length;
    tell(true);
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          bytes.received += chunk.byteLength;
          tell();
          out.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
