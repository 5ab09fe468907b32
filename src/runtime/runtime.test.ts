import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { indexToBits } from '../core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelNode } from './node';
import { DEFAULT_FIXTURE, fixtureMatrices, writeFixtureModel } from './testing/fixture-model';
import { sampleModel } from './sample';
import type { LoadedModel } from './types';
import { loadModelWeb } from './web';

/** fetch over file:// URLs, so the web adapter reads the same folders in Node. */
async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
}

const adapters: Record<string, (dir: string) => Promise<LoadedModel>> = {
  node: (dir) => loadModelNode(dir),
  web: (dir) => loadModelWeb(pathToFileURL(dir).href, { fetch: fileFetch, cacheName: null }),
};

let root: string;
let qacDir: string;
let baseDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-runtime-'));
  qacDir = join(root, 'qac');
  baseDir = join(root, 'baseline');
  await writeFixtureModel(qacDir);
  await writeFixtureModel(baseDir, { kind: 'baseline' });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const spec = DEFAULT_FIXTURE;
const n = spec.channels * spec.height * spec.width;
const sd2 = spec.sigmaData ** 2;

/** The fixture denoiser's formula, evaluated independently of ONNX. */
function expectedDenoised(x: Float32Array, sigmas: number[], code: Float32Array): Float32Array {
  const { P } = fixtureMatrices(spec);
  const out = new Float32Array(x.length);
  sigmas.forEach((s, b) => {
    const cskip = sd2 / (s * s + sd2);
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < spec.bits; i++) dot += code[b * spec.bits + i]! * P[i * n + j]!;
      out[b * n + j] = cskip * x[b * n + j]! + (1 - cskip) * Math.tanh(dot);
    }
  });
  return out;
}

const ramp = (len: number) => new Float32Array(len).map((_, i) => Math.sin(i * 0.7));

for (const [name, load] of Object.entries(adapters)) {
  describe(`${name} adapter`, () => {
    it('runs the QAC denoiser with one code per image and per-image sigmas', async () => {
      const model = await load(qacDir);
      expect(model.backend).toMatch(name === 'node' ? 'node/cpu' : 'web/wasm');
      expect(model.codeBits).toBe(3);
      const x = ramp(2 * n);
      const code = new Float32Array([1, -1, 1, -1, -1, 1]);
      const shared = await model.denoise(x, 0.7, 2, code);
      expectClose(shared, expectedDenoised(x, [0.7, 0.7], code));
      const perImage = await model.denoise(x, new Float32Array([0.1, 5]), 2, code);
      expectClose(perImage, expectedDenoised(x, [0.1, 5], code));
      const bound = await model.bind(2, code)(x, 0.7);
      expectClose(bound, shared);
      await model.dispose();
    });

    it('encodes images to +-1 bits equal to sign(x @ E)', async () => {
      const model = await load(qacDir);
      const { E } = fixtureMatrices(spec);
      const x = ramp(3 * n).map((v, i) => v * (i % 5) - 0.3);
      const bits = await model.encode(x, 3);
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < spec.bits; i++) {
          let y = 0;
          for (let j = 0; j < n; j++) y += x[b * n + j]! * E[j * spec.bits + i]!;
          expect(bits[b * spec.bits + i]).toBe(y > 0 ? 1 : -1);
        }
      }
      expect(Array.from(model.weights!.indices)).toEqual([5, 2, 0]);
      expect(model.weights!.weights[0]).toBeCloseTo(0.5);
      await model.dispose();
    });

    it('runs a baseline without a code and refuses to encode', async () => {
      const model = await load(baseDir);
      expect(model.codeBits).toBe(0);
      expect(model.weights).toBeNull();
      const out = await model.denoise(ramp(n), 1e-4, 1);
      expectClose(out, ramp(n), 1e-4);
      await expect(model.encode(ramp(n), 1)).rejects.toThrow(
        /encoder\.onnx.*baseline model has no encoder/,
      );
      await model.dispose();
    });

    it('names the file when a model file is tampered with', async () => {
      const dir = join(root, `${name}-tampered`);
      await writeFixtureModel(dir);
      const bytes = await readFile(join(dir, 'encoder.onnx'));
      bytes[bytes.length - 1] ^= 1;
      await writeFile(join(dir, 'encoder.onnx'), bytes);
      await expect(load(dir)).rejects.toThrow(
        /encoder\.onnx \(files\.encoder\.sha256\): sha256 mismatch/,
      );
    });

    it('refuses a graph whose input shape disagrees with the manifest', async () => {
      const dir = join(root, `${name}-shape`);
      const manifest = await writeFixtureModel(dir);
      manifest.image.width = 6;
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
      await expect(load(dir)).rejects.toThrow(
        /denoiser\.onnx \(x\): input shape \[B,1,4,4\] disagrees with the manifest at axis 3: expected 6/,
      );
    });

    it('names a missing file', async () => {
      const dir = join(root, `${name}-missing`);
      await writeFixtureModel(dir);
      await rm(join(dir, 'weights.bin'));
      await expect(load(dir)).rejects.toThrow(/weights\.bin \(files\.weights\): missing in/);
      await expect(load(join(root, 'nowhere'))).rejects.toThrow(/manifest\.json: missing in/);
    });
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tol);
}

describe('web adapter over HTTP', () => {
  it('names the file when the server fails or the network is down', async () => {
    const base = pathToFileURL(qacDir).href;
    const failing = (url: string) =>
      url.endsWith('encoder.onnx')
        ? Promise.resolve(new Response('oops', { status: 503, statusText: 'Service Unavailable' }))
        : fileFetch(url);
    await expect(loadModelWeb(base, { fetch: failing, cacheName: null })).rejects.toThrow(
      /encoder\.onnx: HTTP 503 Service Unavailable from file:.*encoder\.onnx/,
    );
    const offline = () => Promise.reject(new TypeError('fetch failed'));
    await expect(loadModelWeb(base, { fetch: offline, cacheName: null })).rejects.toThrow(
      /manifest\.json: cannot fetch file:.*manifest\.json \(fetch failed\)/,
    );
  });
});

describe('sampleModel', () => {
  it('gives the same samples through both adapters, with per-sample codes from the weights', async () => {
    const [viaNode, viaWeb] = await Promise.all(
      Object.values(adapters).map((load) => load(qacDir)),
    );
    const opts = { solver: 'dpmpp-2m', nfe: 8, seed: 11, batch: 5 } as const;
    const a = await sampleModel(viaNode!, opts);
    const b = await sampleModel(viaWeb!, opts);
    expect(a.nfe).toBe(8);
    expect(a.codes).toEqual(b.codes);
    expect(a.codes.every((c) => [5, 2, 0].includes(c))).toBe(true);
    expect(a.xT).toEqual(b.xT);
    expectClose(a.x, b.x, 1e-5);
    // Sample k depends only on seed + k: the last three of this batch are a batch of 3 at seed 13.
    const tail = await sampleModel(viaNode!, { ...opts, seed: 13, batch: 3 });
    expect(tail.codes).toEqual(a.codes.slice(2));
    expectClose(tail.x, a.x.subarray(2 * n), 1e-6);
    await Promise.all([viaNode!.dispose(), viaWeb!.dispose()]);
  });

  it('takes per-sample code bits in place of the draws, and refuses them where they cannot apply', async () => {
    const model = await loadModelNode(qacDir);
    const base = await loadModelNode(baseDir);
    try {
      const opts = { solver: 'euler', nfe: 4, seed: 3, batch: 3 } as const;
      const drawn = await sampleModel(model, opts);
      const bits = model.codeBits;
      const signsOf = (codes: number[]) => {
        const s = new Float32Array(codes.length * bits);
        codes.forEach((c, k) => s.set(indexToBits(c, bits), k * bits));
        return s;
      };
      // The drawn codes, passed in, give the drawn samples: only the code source changed.
      const same = await sampleModel(model, { ...opts, codeSigns: signsOf(drawn.codes) });
      expect(same.codes).toEqual(drawn.codes);
      expect(same.x).toEqual(drawn.x);
      const other = drawn.codes.map((c) => [5, 2, 0].find((o) => o !== c)!);
      const changed = await sampleModel(model, { ...opts, codeSigns: signsOf(other) });
      expect(changed.codes).toEqual(other);
      expect(changed.xT).toEqual(drawn.xT);
      expect(changed.x).not.toEqual(drawn.x);
      await expect(
        sampleModel(model, { ...opts, codeSigns: new Float32Array(bits) }),
      ).rejects.toThrow(new RegExp(`${bits} values for 3 samples of ${bits} bits`));
      await expect(sampleModel(base, { ...opts, codeSigns: signsOf(drawn.codes) })).rejects.toThrow(
        /baseline model: it takes no code/,
      );
    } finally {
      await Promise.all([model.dispose(), base.dispose()]);
    }
  });
});
