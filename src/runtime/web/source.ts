import { ModelError } from '../errors';
import type { ModelFile } from '../manifest';
import type { FileSource } from '../shared/files';
import { sha256Hex } from '../shared/hash';

/**
 * Why a fetch of another origin's file may fail: a browser reports a request the server did not
 * allow (no Access-Control-Allow-Origin) as a bare network error, so the message says what to fix.
 */
function corsHint(url: string): string {
  const page = globalThis.location?.origin;
  if (!page || page === 'null') return '';
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return '';
  }
  if (origin === page) return '';
  return (
    `; ${origin} is another origin than this page (${page}): its server must allow the ` +
    `request with CORS (send Access-Control-Allow-Origin: * or this page's origin), or it is ` +
    `down or unreachable`
  );
}

/**
 * Reads a model folder over HTTP. Files listed in the manifest are kept in the Cache API once their
 * sha256 matches; a cached copy whose hash no longer matches the manifest (the model was
 * re-exported) is dropped and fetched again. The manifest itself is never cached: it is what the
 * cached files are checked against.
 */
export async function webSource(
  baseUrl: string,
  fetchFn: (url: string, init?: RequestInit) => Promise<Response>,
  cacheName: string | null,
): Promise<FileSource> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const cache =
    cacheName && typeof globalThis.caches !== 'undefined'
      ? await globalThis.caches.open(cacheName)
      : null;

  const fromNetwork = async (
    path: string,
    url: string,
    init?: RequestInit,
  ): Promise<Uint8Array | null> => {
    let response: Response;
    try {
      response = await fetchFn(url, init);
    } catch (e) {
      throw new ModelError(
        path,
        undefined,
        `cannot fetch ${url} (${(e as Error).message})${corsHint(url)}`,
      );
    }
    if (response.status === 404) return null;
    if (!response.ok) {
      throw new ModelError(
        path,
        undefined,
        `HTTP ${response.status} ${response.statusText} from ${url}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  };

  return {
    location: base,
    async read(path: string, expected?: ModelFile) {
      const url = new URL(path, new URL(base, globalThis.location?.href ?? 'file:///')).href;
      // The manifest is revalidated with the server every time: a stale copy from the HTTP cache
      // would make freshly exported files look tampered with.
      if (!expected) return fromNetwork(path, url, { cache: 'no-cache' });
      if (!cache) return fromNetwork(path, url);
      const hit = await cache.match(url);
      if (hit) {
        const bytes = new Uint8Array(await hit.arrayBuffer());
        if ((await sha256Hex(bytes)) === expected.sha256) return bytes;
        await cache.delete(url);
      }
      const bytes = await fromNetwork(path, url);
      if (bytes && (await sha256Hex(bytes)) === expected.sha256) {
        await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>));
      }
      return bytes;
    },
  };
}
