// Manifest and model loaders: hostile manifests and files are refused with the model folder, the
// file and the field named, through both adapters, and loading never writes to the folder.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelNode } from '../../src/runtime/node';
import { writeFixtureModel } from '../../src/runtime/testing/fixture-model';
import { loadModelWeb } from '../../src/runtime/web';
import { removeTree, tempDir, treeHashes } from './helpers';

let scratch: string;
let count = 0;
beforeAll(async () => {
  scratch = await tempDir('models');
});
afterAll(() => removeTree(scratch));

/** fetch over file:// URLs, so the web adapter reads the same folders in Node. */
async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
}
const loaders = {
  node: (dir: string) => loadModelNode(dir),
  web: (dir: string) =>
    loadModelWeb(pathToFileURL(dir).href, { fetch: fileFetch, cacheName: null }),
};

/** A fresh fixture folder `bad-N` whose manifest `edit` rewrites (as raw JSON text). */
async function badModel(edit: (m: Record<string, unknown>) => void, raw?: (t: string) => string) {
  const dir = join(scratch, `bad-${count++}`);
  const manifest = structuredClone(await writeFixtureModel(dir)) as unknown as Record<
    string,
    unknown
  >;
  edit(manifest);
  const text = JSON.stringify(manifest);
  await writeFile(join(dir, 'manifest.json'), raw ? raw(text) : text);
  return dir;
}

/** Both adapters refuse `dir` with `message` (prefixed by the folder) and leave it unchanged. */
async function refusedByBoth(dir: string, message: RegExp) {
  const before = await treeHashes(dir);
  const folder = dir.split('/').at(-1)!;
  for (const load of Object.values(loaders)) {
    const err = await load(dir).then(
      (m) => m.dispose().then(() => null),
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(message);
    expect(err?.message.startsWith(`${folder}/`), err?.message).toBe(true);
  }
  expect(await treeHashes(dir)).toEqual(before);
}

const image = (m: Record<string, unknown>) => m.image as Record<string, unknown>;

describe('manifest: numbers that would overflow or cannot work', () => {
  it('sigmaMax 1e38 (x_T would be Infinity in float32)', async () => {
    await refusedByBoth(
      await badModel((m) => (m.sigmaMax = 1e38)),
      /manifest\.json \(sigmaMax\): must be at most 1000000 \(larger values overflow float32\)/,
    );
  });

  it('sigmaMax 1e400 (JSON for Infinity)', async () => {
    const dir = await badModel(
      (m) => (m.sigmaMax = 'INF'),
      (t) => t.replace('"INF"', '1e400'),
    );
    await refusedByBoth(dir, /manifest\.json \(sigmaMax\): .*Infinity/);
  });

  it('sigmaMin 0 and a negative sigmaData', async () => {
    await refusedByBoth(
      await badModel((m) => (m.sigmaMin = 0)),
      /\(sigmaMin\): must be greater than 0/,
    );
    await refusedByBoth(
      await badModel((m) => (m.sigmaData = -0.5)),
      /\(sigmaData\): must be greater than 0/,
    );
  });

  it('sigmaMin not below sigmaMax', async () => {
    await refusedByBoth(
      await badModel((m) => (m.sigmaMin = 80)),
      /\(sigmaMin\): must be below sigmaMax \(got sigmaMin 80, sigmaMax 80\)/,
    );
  });

  it('5 channels, and a 100000-pixel side', async () => {
    await refusedByBoth(await badModel((m) => (image(m).channels = 5)), /\(image\.channels\): .*4/);
    await refusedByBoth(
      await badModel((m) => (image(m).height = 100_000)),
      /\(image\.height\): .*1024/,
    );
  });

  it('a codebook beyond 2^32 codes', async () => {
    await refusedByBoth(
      await badModel((m) => Object.assign(m.code as object, { levels: 3, bits: 30 })),
      /\(code\): levels\^bits = 3\^30 codes exceed 2\^32/,
    );
  });
});

describe('model files: empty, missing, unreadable', () => {
  it('an empty manifest.json', async () => {
    const dir = await badModel(
      () => undefined,
      () => '',
    );
    await refusedByBoth(dir, /manifest\.json: not valid JSON/);
  });

  it('a missing denoiser.onnx and an empty weights.bin', async () => {
    const gone = await badModel(() => undefined);
    await rm(join(gone, 'denoiser.onnx'));
    await refusedByBoth(gone, /denoiser\.onnx \(files\.denoiser\): missing in /);
    const empty = await badModel(() => undefined);
    await writeFile(join(empty, 'weights.bin'), '');
    await refusedByBoth(empty, /weights\.bin \(files\.weights\.bytes\): size 0 differs/);
  });

  it('a manifest.json that is a folder (node)', async () => {
    const dir = join(scratch, 'dir-manifest');
    await mkdir(join(dir, 'manifest.json'), { recursive: true });
    await expect(loadModelNode(dir)).rejects.toThrow(
      /^dir-manifest\/manifest\.json: cannot read it in .*dir-manifest \(EISDIR\)/,
    );
  });
});
