import { MODEL_SOURCES } from './policy';

const URL_SHOWN = 120;

/** A URL short enough for a message: a 5,000-character link says how long it is instead. */
export function shortUrl(url: string): string {
  if (url.length <= URL_SHOWN) return url;
  return `${url.slice(0, URL_SHOWN - 20)}… (${url.length.toLocaleString('en')} characters)`;
}

/** Hosts a browser trusts over plain http (secure contexts): this computer. */
function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Whether one CSP source expression (as MODEL_SOURCES writes them) allows `url`. */
function sourceAllows(source: string, url: URL, page: string): boolean {
  if (source === "'self'") return url.origin === page;
  if (/^[a-z][a-z0-9+.-]*:$/.test(source)) return url.protocol === source;
  const m = /^([a-z][a-z0-9+.-]*:)\/\/([^/:]+)(?::(\d+|\*))?$/.exec(source);
  if (!m) return false;
  const [, scheme, host, port] = m;
  // CSP lets an http: source match https: too (an upgrade is never less safe).
  const schemeOk = url.protocol === scheme || (scheme === 'http:' && url.protocol === 'https:');
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const portOk = port === '*' || (port ?? defaultPort) === (url.port || defaultPort);
  return schemeOk && url.hostname === host && portOk;
}

/** MODEL_SOURCES in words: "this page's origin (…), https:, http://localhost:* and …". */
export function allowedList(page: string): string {
  const words = MODEL_SOURCES.map((s) => (s === "'self'" ? `this page's origin (${page})` : s));
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * Why the page whose origin is `page` (in a worker: the page that started it) must not fetch a
 * model from `url` (absolute), or null when it may: the same rules
 * as the page's Content-Security-Policy (connect-src, security/policy.ts), checked before any
 * fetch in the page and in the workers, with the cause named: a scheme that never holds a model
 * (file:, data:, javascript:, blob:), plain http from an https page (mixed content), or a host
 * outside connect-src.
 */
export function modelUrlRefusal(url: string, page: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${shortUrl(url)}" is not a valid URL`;
  }
  const shown = shortUrl(parsed.href);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return (
      `the ${parsed.protocol} scheme is blocked for models (${shown}): a model folder is ` +
      `fetched over https:, or http: from this computer`
    );
  }
  if (page.startsWith('https:') && parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    return (
      `${shown} is plain http: on an https page, which the browser blocks (mixed content); ` +
      `serve the model over https:`
    );
  }
  if (MODEL_SOURCES.some((s) => sourceAllows(s, parsed, page))) return null;
  return (
    `this page's Content-Security-Policy refuses ${shown}: connect-src allows ` +
    `${allowedList(page)}; this URL is none of them`
  );
}

/**
 * A model URL as a user gives it, resolved against the page (`base`); throws an Error whose
 * message names the cause (invalid URL, blocked scheme, mixed content, connect-src) instead of
 * the browser's bare "Failed to construct 'URL'".
 */
export function checkedModelUrl(input: string, base: string, page: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim(), base);
  } catch {
    throw new Error(
      `"${shortUrl(input.trim())}" is not a valid URL (absolute, or relative to this page)`,
    );
  }
  const refusal = modelUrlRefusal(url.href, page);
  if (refusal) throw new Error(refusal);
  return url;
}
