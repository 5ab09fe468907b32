import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { test } from '@playwright/test';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/**
 * A plain static host (no COOP/COEP headers, no SPA fallback) serving `root` under `prefix`, like
 * a project page on a shared host. Resolves with the server and its port.
 */
function serveStatic(root: string, prefix: string): Promise<{ server: Server; port: number }> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let file = normalize(join(base, path.slice(prefix.length)));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (path.endsWith('/')) file = join(file, 'index.html');
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((ok) =>
    server.listen(0, () => ok({ server, port: (server.address() as { port: number }).port })),
  );
}

/**
 * The spec's plain static host for the built app (`.cache/e2e-dist`) under `prefix`: started before
 * its tests and closed after them. The returned function gives the page URL for a query string.
 */
export function staticHost(prefix: string): (query: string) => string {
  let server: Server | undefined;
  let origin = '';
  test.beforeAll(async () => {
    const s = await serveStatic('.cache/e2e-dist', prefix);
    server = s.server;
    origin = `http://localhost:${s.port}`;
  });
  test.afterAll(() => new Promise<void>((ok) => (server ? server.close(() => ok()) : ok())));
  return (query) => `${origin}${prefix}${query}`;
}
