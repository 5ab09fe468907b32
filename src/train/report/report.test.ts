import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileEntry, manifestSchema } from '../../runtime';
import { loadModelNode } from '../../runtime/node';
import {
  DEFAULT_FIXTURE,
  fixtureMatrices,
  writeFixtureModel,
} from '../../runtime/testing/fixture-model';
import { updateCard } from './card';
import { codeUsage } from './code-usage';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('codeUsage', () => {
  it('counts the codes the encoder gives the images and the weights in weights.bin', async () => {
    await writeFixtureModel(dir);
    const model = await loadModelNode(dir);
    try {
      const n = 16;
      const size = model.imageSize;
      const images = Float32Array.from({ length: 40 * size }, (_, i) => Math.sin(i * 0.77));
      const got = await codeUsage(model, images, 40, 7);
      // The fixture encoder is sign(x E) with ties to -1: recompute its codes here.
      const { E } = fixtureMatrices(DEFAULT_FIXTURE);
      const d = DEFAULT_FIXTURE.bits;
      const counts = new Map<number, number>();
      for (let k = 0; k < 40; k++) {
        let index = 0;
        for (let j = 0; j < d; j++) {
          let y = 0;
          for (let i = 0; i < n; i++) y += images[k * size + i]! * E[i * d + j]!;
          if (y > 0) index += 2 ** j;
        }
        counts.set(index, (counts.get(index) ?? 0) + 1);
      }
      const p = [...counts.values()].map((c) => c / 40);
      expect(got.heldOutCodes).toBe(counts.size);
      expect(got.heldOutPerplexity).toBeCloseTo(
        Math.exp(-p.reduce((a, v) => a + v * Math.log(v), 0)),
        4,
      );
      expect(got.codebook).toBe(8);
      expect(got.weightedCodes).toBe(3);
      const w = [0.5, 0.3, 0.2];
      expect(got.weightPerplexity).toBeCloseTo(
        Math.exp(-w.reduce((a, v) => a + v * Math.log(v), 0)),
        4,
      );
      // The fixture's weights sit on codes 5, 2 and 0; count those the images actually got.
      const onImages = [5, 2, 0].reduce((a, c, k) => (counts.has(c) ? a + w[k]! : a), 0);
      expect(onImages).toBeGreaterThan(0);
      expect(onImages).toBeLessThan(1);
      expect(got.weightOnHeldOutCodes).toBeCloseTo(onImages, 6);
    } finally {
      await model.dispose();
    }
  });
});

describe('updateCard', () => {
  it('fills the Evaluation section and keeps the manifest hash valid', async () => {
    await writeFixtureModel(dir);
    const card = '# m\n\n## Evaluation\n\nnot yet\n\n## Credits\n\nsomeone\n';
    await writeFile(join(dir, 'card.md'), card);
    const path = join(dir, 'manifest.json');
    const m = manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    m.files.card = await fileEntry('card.md', Buffer.from(card));
    await writeFile(path, JSON.stringify(m));
    await updateCard(dir, 'FID proxy 1.23');
    expect(await readFile(join(dir, 'card.md'), 'utf8')).toBe(
      '# m\n\n## Evaluation\n\nFID proxy 1.23\n\n## Credits\n\nsomeone\n',
    );
    const model = await loadModelNode(dir);
    await model.dispose();
  });

  it('rebuilds the rest of the card from the manifest when given the data source', async () => {
    await writeFixtureModel(dir);
    const stale = '# m\n\n- data: x (/root/.cache/somewhere)\n\n## Evaluation\n\nold\n';
    await writeFile(join(dir, 'card.md'), stale);
    const path = join(dir, 'manifest.json');
    const m = manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    m.files.card = await fileEntry('card.md', Buffer.from(stale));
    await writeFile(path, JSON.stringify(m));
    await updateCard(dir, 'FID proxy 4.56', 'npm some-package@1.2.3');
    const card = await readFile(join(dir, 'card.md'), 'utf8');
    expect(card).toContain(`- data: ${m.dataset} (npm some-package@1.2.3), training split only`);
    expect(card).toContain('## Evaluation\n\nFID proxy 4.56\n\n## Credits');
    expect(card).not.toContain('/root');
    await (await loadModelNode(dir)).dispose();
  });

  it('names the card when it has no Evaluation section', async () => {
    await writeFixtureModel(dir);
    await expect(updateCard(dir, 'x')).rejects.toThrow(/card\.md: no "## Evaluation" section/);
  });
});
