import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../testing/fixture-model';
import { loadModelWeb } from '.';

async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
}

let root: string;
let url: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-web-backend-'));
  await writeFixtureModel(join(root, 'm'), { kind: 'baseline' });
  url = pathToFileURL(join(root, 'm')).href;
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('web adapter backend report', () => {
  it('reports wasm with the thread count ORT settled on and no fallback when wasm is asked for', async () => {
    const model = await loadModelWeb(url, { fetch: fileFetch, cacheName: null });
    try {
      expect(model.web.ep).toBe('wasm');
      expect(model.web.fallbackReason).toBeNull();
      expect(model.web.wasmThreads).toBe(1);
      expect(model.backend).toBe('web/wasm');
    } finally {
      await model.dispose();
    }
  });

  it('says why WebGPU is not used when it is asked for where there is none', async () => {
    const model = await loadModelWeb(url, {
      fetch: fileFetch,
      cacheName: null,
      preferWebGpu: true,
    });
    try {
      expect(model.web.ep).toBe('wasm');
      expect(model.web.fallbackReason).toMatch(/navigator\.gpu is missing/);
      // The model still runs on the fallback.
      const out = await model.denoise(new Float32Array(model.imageSize), 1, 1);
      expect(out.every(Number.isFinite)).toBe(true);
    } finally {
      await model.dispose();
    }
  });
});
