import { ModelError } from '../errors';
import type { ModelFile } from '../manifest';
import { MAX_MANIFEST_BYTES, type FileSource } from '../shared/files';
import { sha256Hex } from '../shared/hash';
import { whyFetchFailed, type FetchFn } from './fetch-errors';

/** A response that sends nothing for this long is given up (no-progress timeout). */
const STALL_MS = 15_000;

/** How a web source's reads are bounded: by the caller (cancel) and by time without progress. */
export interface SourceLimits {
  /** Aborts every read of the folder (a newer load, a Cancel button); its reason is rethrown. */
  signal?: AbortSignal;
  /** No-progress timeout in ms (default STALL_MS): no headers or no bytes for this long. */
  stallMs?: number;
}

const count = (n: number) => n.toLocaleString('en');

/**
 * One GET of `url`, read to the end but never past `limit` bytes: a Content-Length above it is
 * refused before the body is read, and a body that grows past it is cut off at once (a manifest
 * that lists 2.6 MB does not get 800 MB downloaded). A response that stalls for `stallMs` is
 * aborted, and so is everything when `signal` aborts (its reason is what this throws then).
 */
async function getBounded(
  fetchFn: FetchFn,
  path: string,
  url: string,
  init: RequestInit,
  limit: { bytes: number; what: string },
  signal: AbortSignal,
  stallMs: number,
): Promise<Uint8Array | null> {
  const request = new AbortController();
  const both = AbortSignal.any([signal, request.signal]);
  let got = 0;
  let announced: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const part = announced === null ? '' : ` of ${count(announced)}`;
      request.abort(
        new ModelError(
          path,
          undefined,
          `${url} sent nothing for ${stallMs / 1000} s (${count(got)}${part} bytes received): ` +
            `the server stalled, so the load was given up`,
        ),
      );
    }, stallMs);
  };
  const fail = (problem: string) => new ModelError(path, undefined, problem);
  try {
    arm();
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, signal: both });
    } catch (e) {
      if (both.aborted) throw both.reason;
      throw fail(await whyFetchFailed(fetchFn, url, e, both));
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw fail(`HTTP ${response.status} ${response.statusText} from ${url}`);
    }
    const header = response.headers.get('content-length');
    announced = header !== null && /^\d+$/.test(header) ? Number(header) : null;
    if (announced !== null && announced > limit.bytes) {
      request.abort();
      throw fail(
        `${url} announces ${count(announced)} bytes (Content-Length), more than ${limit.what}: ` +
          `refused without downloading it`,
      );
    }
    const chunks: Uint8Array[] = [];
    const reader = response.body?.getReader();
    while (reader) {
      let part: ReadableStreamReadResult<Uint8Array>;
      try {
        part = await reader.read();
      } catch (e) {
        if (both.aborted) throw both.reason;
        const of = announced === null ? '' : ` of the ${count(announced)} it announced`;
        throw fail(
          `the connection to ${url} broke after ${count(got)} bytes${of} (${(e as Error).message})`,
        );
      }
      if (part.done) break;
      got += part.value.byteLength;
      if (got > limit.bytes) {
        request.abort();
        throw fail(
          `${url} sent more than ${limit.what}: stopped reading at ${count(got)} bytes ` +
            `(the file is larger than the manifest says, or not the listed file)`,
        );
      }
      chunks.push(part.value);
      arm();
    }
    const bytes = new Uint8Array(got);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a model folder over HTTP. Files listed in the manifest are kept in the Cache API once their
 * sha256 matches; a cached copy whose hash no longer matches the manifest (the model was
 * re-exported) is dropped and fetched again. The manifest itself is never cached: it is what the
 * cached files are checked against. Every read is bounded (the manifest's `bytes` per file,
 * MAX_MANIFEST_BYTES for the manifest), has a no-progress timeout, and stops when `limits.signal`
 * aborts; one failed read aborts the folder's other reads.
 */
export async function webSource(
  baseUrl: string,
  fetchFn: FetchFn,
  cacheName: string | null,
  limits: SourceLimits = {},
): Promise<FileSource> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const folder = new AbortController();
  const signal = limits.signal ? AbortSignal.any([limits.signal, folder.signal]) : folder.signal;
  const stallMs = limits.stallMs ?? STALL_MS;
  signal.throwIfAborted();
  const cache =
    cacheName && typeof globalThis.caches !== 'undefined'
      ? await globalThis.caches.open(cacheName)
      : null;

  const fromNetwork = (path: string, url: string, init: RequestInit, expected?: ModelFile) =>
    getBounded(
      fetchFn,
      path,
      url,
      init,
      expected
        ? { bytes: expected.bytes, what: `the manifest's ${count(expected.bytes)} bytes` }
        : {
            bytes: MAX_MANIFEST_BYTES,
            what: `${count(MAX_MANIFEST_BYTES)} bytes (no manifest is that large)`,
          },
      signal,
      stallMs,
    );

  const read = async (path: string, expected?: ModelFile): Promise<Uint8Array | null> => {
    signal.throwIfAborted();
    const url = new URL(path, new URL(base, globalThis.location?.href ?? 'file:///')).href;
    // The manifest is revalidated with the server every time: a stale copy from the HTTP cache
    // would make freshly exported files look tampered with.
    if (!expected) return fromNetwork(path, url, { cache: 'no-cache' });
    if (!cache) return fromNetwork(path, url, {}, expected);
    const hit = await cache.match(url);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if ((await sha256Hex(bytes)) === expected.sha256) return bytes;
      await cache.delete(url);
    }
    const bytes = await fromNetwork(path, url, {}, expected);
    if (bytes && (await sha256Hex(bytes)) === expected.sha256) {
      // The cache only saves a download next time: a full storage quota must not fail the load.
      await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>)).catch(() => {});
    }
    return bytes;
  };

  return {
    location: base,
    async read(path: string, expected?: ModelFile) {
      try {
        return await read(path, expected);
      } catch (e) {
        // The load has failed: the folder's other downloads stop too.
        folder.abort(e);
        throw e;
      }
    },
  };
}
