import type { Plugin } from 'vite';

/**
 * Request-line + header budget of the dev and preview servers. Settings live in the query string
 * and a pasted link can be long: Node's default 16 KiB answered such a link with HTTP 431 before
 * the app could read it (and ignore what it does not know). Chromium's own URL limit is 2 MiB.
 */
const MAX_REQUEST_HEADER_BYTES = 4 * 1024 * 1024;

/**
 * Node's http.Server reads `maxHeaderSize` for each new connection (it is otherwise only a
 * createServer option, and Vite creates the server itself), so setting it on the server is enough.
 */
function raise(server: object | null): void {
  if (server) Object.assign(server, { maxHeaderSize: MAX_REQUEST_HEADER_BYTES });
}

export function longUrlPlugin(): Plugin {
  return {
    name: 'qac-long-urls',
    configureServer: (server) => raise(server.httpServer),
    configurePreviewServer: (server) => raise(server.httpServer),
  };
}
