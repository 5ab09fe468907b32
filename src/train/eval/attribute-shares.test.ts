import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlanes } from '../data/avatar-svg';
import { AVATAR_SIZE, renderInWorker } from '../data/avatars';
import { attributeShares } from './attributes';
import { FeatureExtractor } from './classifier';

const models = join(import.meta.dirname, '../../../models');

/** n rendered RGB avatars as the [-1, 1] planes [n, 3, H, W] the classifier takes. */
function planes(bytes: Uint8Array, n: number): Float32Array {
  const size = AVATAR_SIZE * AVATAR_SIZE * 3;
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) writePlanes(bytes.subarray(i * size, (i + 1) * size), out, i);
  return out;
}

describe('attribute shares on the shipped avatars feature net', () => {
  it('reads the attribute mix of rendered avatars: half of each value, then none with glasses', async () => {
    const clf = await FeatureExtractor.load(join(models, 'classifier-avatars'));
    try {
      expect(clf.attributes.map((a) => a.name)).toEqual(['glasses', 'mouth', 'skin', 'hair']);
      // Attribute images 0..31: class i % 16, so every attribute value is set on half of them.
      const n = 32;
      const images = planes(await renderInWorker({ set: 'attributes', from: 0, to: n }), n);
      const shares = attributeShares((await clf.run(images, n)).logits, n, clf.attributes);
      expect(shares.map((s) => s.value)).toEqual(['glasses', 'happy', 'dark skin', 'light hair']);
      for (const s of shares) expect(s.share).toBeCloseTo(0.5, 1);
      // Only the images without glasses (even classes): the glasses share falls to about 0.
      const plane = 3 * AVATAR_SIZE * AVATAR_SIZE;
      const bare = new Float32Array((n / 2) * plane);
      for (let i = 0; i < n / 2; i++)
        bare.set(images.subarray(2 * i * plane, (2 * i + 1) * plane), i * plane);
      const without = attributeShares((await clf.run(bare, n / 2)).logits, n / 2, clf.attributes);
      expect(without[0]!.share).toBeLessThan(0.05);
      expect(without[2]!.share).toBeCloseTo(0.5, 1);
    } finally {
      await clf.release();
    }
  }, 60_000);
});
