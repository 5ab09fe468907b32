import { describe, expect, it } from 'vitest';
import { markdownTable, type EvalSetting } from './evaluate';

const setting: EvalSetting = {
  solver: 'euler',
  requestedNfe: 4,
  nfe: 4,
  afs: false,
  fidProxy: 12.345,
  curvature: 0.01,
  seconds: 1,
};

describe('markdownTable', () => {
  it('adds an attribute-shares column only when a setting has shares', () => {
    const plain = markdownTable('m', [setting], 10, 'clf');
    expect(plain).toContain('| euler | 4 | no | 12.35 | 0.0100 |\n');
    expect(plain).not.toContain('attribute shares');
    const shares = [
      { name: 'glasses', value: 'glasses', share: 0.213 },
      { name: 'skin', value: 'dark skin', share: 0.5 },
    ];
    const table = markdownTable('m', [{ ...setting, attributes: shares }, setting], 10, 'clf');
    expect(table).toContain('| FID proxy | curvature | attribute shares |');
    expect(table).toContain('| 12.35 | 0.0100 | glasses 21.3%, dark skin 50.0% |');
    expect(table).toContain('| 12.35 | 0.0100 | - |');
  });

  it('says when the QAC codes came from training images', () => {
    expect(markdownTable('m', [setting], 10, 'clf', 'train-images')).toContain(
      'sample k takes the code of training image k',
    );
  });
});
