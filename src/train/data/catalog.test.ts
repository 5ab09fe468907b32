import { describe, expect, it } from 'vitest';
import { presetFor } from '../model';
import { DATASETS, presetsFor } from './catalog';
import { checkImageShape, loadDataset } from './index';

describe('the dataset catalog', () => {
  it('lists the presets built for each shape, smallest first', () => {
    expect(presetsFor('mnist')).toEqual(['tiny', 'mnist']);
    expect(presetsFor('fashion-mnist')).toEqual(['tiny', 'mnist']);
    expect(presetsFor('avatars')).toEqual(['tiny-rgb', 'rgb32']);
    expect(presetsFor('folder')).toEqual(['tiny-rgb', 'rgb32']);
  });

  it("states the shape the loader gives (mnist's digits, the rendered avatars)", async () => {
    for (const name of ['mnist', 'avatars'] as const) {
      const ds = await loadDataset(name, { limit: 2 });
      expect({ channels: ds.channels, height: ds.height, width: ds.width }).toEqual(DATASETS[name]);
      for (const preset of presetsFor(name)) checkImageShape(ds, presetFor(preset));
    }
  });
});
