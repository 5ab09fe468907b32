import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';

/**
 * What the server does with a request for one file name:
 * - `hang`: never answers (no headers);
 * - `stall`: headers and the first 64 bytes, then nothing, connection kept open;
 * - `endless`: 200 with a chunked body that never ends (sent as fast as it is read);
 * - `huge`: 200 announcing 800 MB (Content-Length), then that body as fast as it is read;
 * - `short`: announces the file's length (Content-Length) and closes halfway through it;
 * - `loop`: 302 to itself, forever;
 * - `redirect:URL`: 302 to URL (file:, data:, another host).
 */
type Behaviour = 'hang' | 'stall' | 'endless' | 'huge' | 'short' | 'loop' | `redirect:${string}`;

export interface HostileServer {
  /** "http://host:port/" */
  url: string;
  /** Every request's path, in order. */
  requests: string[];
  /** Body bytes written per path (what a client that gave up made the server send). */
  sent: Map<string, number>;
  /** Paths whose client hung up before the response was complete (an aborted download). */
  dropped: string[];
  /** Behaviours by file name (the last path segment); other files are served from `root`. */
  behaviour: Map<string, Behaviour>;
  close(): Promise<void>;
}

const CHUNK = new Uint8Array(64 * 1024);
const HUGE = 800_000_000;

/** Writes `total` bytes (Infinity: forever) as fast as the client reads, counting them. */
function pump(res: ServerResponse, total: number, count: (n: number) => void): void {
  let left = total;
  const more = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, CHUNK.byteLength);
      left -= n;
      count(n);
      if (!res.write(CHUNK.subarray(0, n))) return void res.once('drain', more);
    }
    if (left === 0) res.end();
  };
  more();
}

/**
 * A model host that misbehaves on purpose, for the loaders' hostile-input tests (unit and e2e):
 * it serves `root`'s folders with CORS (so any page may read them), except for the files whose
 * name has a behaviour, and records what was asked and how much it sent. `host` picks the
 * interface: 127.0.0.2 is this computer under a name the page's Content-Security-Policy does not
 * allow.
 */
export async function startHostileServer(root: string, host = 'localhost'): Promise<HostileServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const sent = new Map<string, number>();
  const behaviour = new Map<string, Behaviour>();
  const dropped: string[] = [];
  const open = new Set<ServerResponse>();
  let closing = false;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      if (!res.writableFinished && !closing) dropped.push(path);
    });
    const count = (n: number) => sent.set(path, (sent.get(path) ?? 0) + n);
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'no-store',
    };
    const mode = behaviour.get(path.slice(path.lastIndexOf('/') + 1));
    if (mode === 'hang') return;
    if (mode === 'loop') return void res.writeHead(302, { ...cors, Location: req.url }).end();
    if (mode?.startsWith('redirect:')) {
      return void res.writeHead(302, { ...cors, Location: mode.slice('redirect:'.length) }).end();
    }
    if (mode === 'endless') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/octet-stream' });
      return pump(res, Infinity, count);
    }
    if (mode === 'huge') {
      res.writeHead(200, { ...cors, 'Content-Length': String(HUGE) });
      return pump(res, HUGE, count);
    }
    const file = normalize(join(base, path));
    if (!file.startsWith(base + sep)) return void res.writeHead(403, cors).end();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return void res.writeHead(404, cors).end('not found');
    }
    const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    if (mode === 'stall') {
      res.writeHead(200, { ...cors, 'Content-Type': type, 'Content-Length': String(body.length) });
      count(64);
      return void res.write(body.subarray(0, 64));
    }
    if (mode === 'short') {
      const half = body.subarray(0, body.length >> 1);
      res.writeHead(200, { ...cors, 'Content-Length': String(body.length) });
      count(half.length);
      return void res.write(half, () => setTimeout(() => res.destroy(), 50));
    }
    count(body.length);
    res.writeHead(200, { ...cors, 'Content-Type': type }).end(body);
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    requests,
    sent,
    dropped,
    behaviour,
    close: () =>
      new Promise<void>((ok) => {
        closing = true;
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
