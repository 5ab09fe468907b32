// The web loader's downloads against a server that misbehaves on purpose: each is bounded by the
// manifest's bytes, gives up on a stall, stops when aborted, and names the cause.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../testing/hostile-server';
import { writeFixtureModel } from '../testing/fixture-model';
import type { Manifest } from '../manifest';
import { loadModelWeb } from '.';
import { MAX_MANIFEST_BYTES } from '../shared/files';
import { webSource } from './source';

let root: string;
let server: HostileServer;
let manifest: Manifest;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-source-'));
  manifest = await writeFixtureModel(join(root, 'm-qac'));
  server = await startHostileServer(root);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  server.behaviour.clear();
  server.requests.length = 0;
  server.sent.clear();
});

const folder = () => `${server.url}m-qac/`;
const fetchFn = (url: string, init?: RequestInit) => fetch(url, init);
const denoiser = () => manifest.files.denoiser;
const load = (opts: { stallMs?: number; signal?: AbortSignal } = {}) =>
  loadModelWeb(folder(), { cacheName: null, ...opts });

describe('web source: bounded, cancellable downloads', () => {
  it('loads the folder when the server behaves', async () => {
    const model = await load();
    expect(model.manifest.name).toBe(manifest.name);
    await model.dispose();
  });

  it('stops reading a body that grows past the manifest bytes, and names both sizes', async () => {
    server.behaviour.set('denoiser.onnx', 'endless');
    const { bytes } = denoiser();
    await expect(load()).rejects.toThrow(
      new RegExp(
        `m-qac/denoiser\\.onnx: .*denoiser\\.onnx sent more than the manifest's ${bytes.toLocaleString('en')} bytes: stopped reading at`,
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    // What the server got to send before the client hung up: buffers, not the endless body.
    expect(server.sent.get('/m-qac/denoiser.onnx')).toBeLessThan(bytes + 4 * 1024 * 1024);
  });

  it('refuses a Content-Length above the manifest bytes before reading the body', async () => {
    server.behaviour.set('denoiser.onnx', 'huge');
    await expect(load()).rejects.toThrow(
      /denoiser\.onnx announces 800,000,000 bytes \(Content-Length\), more than the manifest's [\d,]+ bytes: refused without downloading it/,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(server.sent.get('/m-qac/denoiser.onnx')).toBeLessThan(8 * 1024 * 1024);
  });

  it('names a connection that ends before the announced Content-Length', async () => {
    server.behaviour.set('encoder.onnx', 'short');
    const { bytes } = manifest.files.encoder!;
    await expect(load()).rejects.toThrow(
      `encoder.onnx broke after ${bytes >> 1} bytes of the ${bytes} it announced`,
    );
  });

  it('gives up a response that stalls, saying how long and how much arrived', async () => {
    server.behaviour.set('denoiser.onnx', 'stall');
    const { bytes } = denoiser();
    const t0 = Date.now();
    await expect(load({ stallMs: 400 })).rejects.toThrow(
      `denoiser.onnx sent nothing for 0.4 s (64 of ${bytes.toLocaleString('en')} bytes received): the server stalled, so the load was given up`,
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('gives up a server that never answers', async () => {
    server.behaviour.set('manifest.json', 'hang');
    await expect(load({ stallMs: 300 })).rejects.toThrow(
      /manifest\.json sent nothing for 0\.3 s \(0 bytes received\)/,
    );
  });

  it('stops at once when the signal aborts, with the signal reason', async () => {
    server.behaviour.set('denoiser.onnx', 'stall');
    const ctrl = new AbortController();
    const reason = new Error('superseded by a newer load');
    const loading = load({ signal: ctrl.signal });
    await expect.poll(() => server.requests.includes('/m-qac/denoiser.onnx')).toBe(true);
    ctrl.abort(reason);
    await expect(loading).rejects.toBe(reason);
  });

  it('refuses a manifest larger than any manifest', async () => {
    server.behaviour.set('manifest.json', 'endless');
    const source = await webSource(folder(), fetchFn, null);
    await expect(source.read('manifest.json')).rejects.toThrow(
      `sent more than ${MAX_MANIFEST_BYTES.toLocaleString('en')} bytes (no manifest is that large)`,
    );
  });

  it('names a redirect the client will not follow instead of blaming CORS', async () => {
    server.behaviour.set('manifest.json', 'loop');
    await expect(load()).rejects.toThrow(
      /manifest\.json: cannot fetch .*manifest\.json \(.*\): it redirects, and the browser would not follow: a redirect loop/,
    );
    server.behaviour.set('manifest.json', 'redirect:data:application/json,{}');
    await expect(load()).rejects.toThrow(/it redirects, and the browser would not follow/);
  });
});
