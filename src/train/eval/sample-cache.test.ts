import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelNode } from '../../runtime/node';
import { writeFixtureModel } from '../../runtime/testing/fixture-model';
import { generateSamples } from './evaluate';
import { SampleCache, type SampleRun } from './sample-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-samples-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: SampleRun = {
  solver: 'euler',
  nfe: 3,
  afs: false,
  n: 5,
  seed: 7,
  batch: 5,
  end: 'sigmaMin',
};

describe('SampleCache', () => {
  it('stores generated samples and hands the same ones back, keyed by every setting', async () => {
    await writeFixtureModel(join(dir, 'm'));
    const model = await loadModelNode(join(dir, 'm'));
    try {
      const cache = new SampleCache(join(dir, 'cache'));
      const first = await generateSamples(model, run, cache);
      expect(await readdir(join(dir, 'cache'))).toHaveLength(2);
      const again = await cache.get(model, run);
      expect(again!.samples).toEqual(first.samples);
      expect(again!.curvature).toBe(first.curvature);
      // What comes back is what is on disk, not a fresh run: a stored entry is used as it is.
      const marked = { ...first, samples: first.samples.map((v) => -v) };
      await cache.put(model, run, marked);
      expect((await generateSamples(model, run, cache)).samples).toEqual(marked.samples);
      expect(await cache.get(model, { ...run, seed: 8 })).toBeNull();
      expect(cache.key(model, { ...run, nfe: 4 })).not.toBe(cache.key(model, run));
      expect(cache.key(model, { ...run, end: undefined })).not.toBe(cache.key(model, run));
      // Entries sampled before the code source existed are the weights' draws and keep their keys.
      expect(cache.key(model, { ...run, codes: 'weights' })).toBe(cache.key(model, run));
      expect(cache.key(model, { ...run, codes: 'train-images' })).not.toBe(cache.key(model, run));
      // A rewritten card (the report rebuilds cards on every render) keeps the entries.
      const m = model.manifest;
      const recarded = {
        ...model,
        manifest: {
          ...m,
          files: { ...m.files, card: { ...m.files.card, sha256: 'f'.repeat(64) } },
        },
      };
      expect(cache.key(recarded, run)).toBe(cache.key(model, run));
      const retrained = {
        ...model,
        manifest: {
          ...m,
          files: { ...m.files, denoiser: { ...m.files.denoiser, sha256: 'f'.repeat(64) } },
        },
      };
      expect(cache.key(retrained, run)).not.toBe(cache.key(model, run));
    } finally {
      await model.dispose();
    }
  });

  it('refuses an entry whose data file is torn or whose sidecar is garbled', async () => {
    await writeFixtureModel(join(dir, 'm'));
    const model = await loadModelNode(join(dir, 'm'));
    try {
      const cache = new SampleCache(join(dir, 'cache'));
      await generateSamples(model, run, cache);
      const data = (await readdir(join(dir, 'cache'))).find((f) => f.endsWith('.f32'))!;
      await writeFile(join(dir, 'cache', data), new Uint8Array(3));
      await expect(cache.get(model, run)).rejects.toThrow(/3 bytes, expected/);
      // A sidecar that is not JSON, or not ours, is named with the field that is wrong.
      const meta = join(dir, 'cache', data.replace(/\.f32$/, '.json'));
      await writeFile(meta, '{"n": 5');
      await expect(cache.get(model, run)).rejects.toThrow(`sample cache: ${meta}: not JSON`);
      await writeFile(meta, '{"n": "five"}');
      await expect(cache.get(model, run)).rejects.toThrow(
        new RegExp(`^sample cache: ${meta}: not a cached sample set \\(`),
      );
    } finally {
      await model.dispose();
    }
  });
});
