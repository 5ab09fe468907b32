import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data';
import { FeatureExtractor } from '../eval';
import { realReference } from './reference';

const models = join(import.meta.dirname, '../../../models');

describe('realReference on the shipped MNIST feature net', () => {
  it('puts damaged held-out images far above undamaged ones, more so the worse the damage', async () => {
    const ds = await loadDataset('mnist', { limit: 4000 });
    const clf = await FeatureExtractor.load(join(models, 'classifier-mnist'));
    try {
      const ref = await realReference(ds, clf, 500);
      expect(ref.degraded.map((d) => d.degradation)).toEqual([
        { kind: 'blur', sigma: 0.5 },
        { kind: 'blur', sigma: 1 },
        { kind: 'noise', std: 0.1 },
        { kind: 'noise', std: 0.2 },
      ]);
      const [blurSoft, blurWide, noiseSoft, noiseLoud] = ref.degraded.map((d) => d.fidProxy);
      expect(blurSoft!).toBeGreaterThan(ref.heldOutHalves.fidProxy);
      expect(blurWide!).toBeGreaterThan(blurSoft!);
      expect(noiseSoft!).toBeGreaterThan(ref.heldOutHalves.fidProxy);
      expect(noiseLoud!).toBeGreaterThan(noiseSoft!);
      // Seeded: a second render of the report prints the same figures.
      expect((await realReference(ds, clf, 500)).degraded).toEqual(ref.degraded);
    } finally {
      await clf.release();
    }
  }, 120_000);
});
