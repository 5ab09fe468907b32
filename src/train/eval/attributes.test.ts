import { describe, expect, it } from 'vitest';
import { attributeAccuracies, attributeShares } from './attributes';
import { parseClassifierInfo } from './classifier-info';

const attrs = [
  { name: 'glasses', bit: 0, values: ['no', 'yes'] as const },
  { name: 'mouth', bit: 1, values: ['sad', 'happy'] as const },
];

describe('attributeAccuracies', () => {
  it('reads each attribute off the summed softmax of the classes that carry its bit', () => {
    // Image 0 (class 3 = both set): the argmax class is 1 (glasses only), but classes 2 and 3
    // together still make "happy" the likelier mouth, so both attributes come out right.
    // Image 1 (class 0): predicted class 2, so glasses right and mouth wrong.
    const logits = Float32Array.from([
      ...[0, Math.log(4), Math.log(3.5), Math.log(2)],
      ...[0, -10, 5, -10],
    ]);
    const got = attributeAccuracies(logits, [3, 0], attrs);
    expect(got.map((a) => [a.name, a.heldOutAccuracy])).toEqual([
      ['glasses', 1],
      ['mouth', 0.5],
    ]);
    expect(got[0]!.values).toEqual(['no', 'yes']);
  });

  it('refuses a bit the class count does not have and logits that do not divide', () => {
    const logits = new Float32Array(8);
    expect(() => attributeAccuracies(logits, [0, 1], [{ ...attrs[0]!, bit: 2 }])).toThrow(
      /bit 2 does not exist in 4 classes/,
    );
    expect(() => attributeAccuracies(new Float32Array(7), [0, 1], attrs)).toThrow(/7 logits/);
  });
});

describe('attributeShares', () => {
  it('is the mean summed-softmax probability of each attribute value over the images', () => {
    // Image 0: P(classes) = 0.1, 0.2, 0.3, 0.4 -> glasses (bit 0) 0.6, happy (bit 1) 0.7.
    // Image 1: all mass on class 1 -> glasses 1, happy 0.
    const logits = Float32Array.from([
      ...[0.1, 0.2, 0.3, 0.4].map(Math.log),
      ...[-50, 0, -50, -50],
    ]);
    const got = attributeShares(logits, 2, attrs);
    expect(got.map((a) => a.name)).toEqual(['glasses', 'mouth']);
    expect(got.map((a) => a.value)).toEqual(['yes', 'happy']);
    expect(got[0]!.share).toBeCloseTo(0.8, 6);
    expect(got[1]!.share).toBeCloseTo(0.35, 6);
    expect(() => attributeShares(new Float32Array(0), 0, attrs)).toThrow(/at least one image/);
  });
});

describe('parseClassifierInfo', () => {
  it('accepts the first classifiers and names the bad field of a broken one', () => {
    const first = {
      format: 'qac-playground-classifier',
      name: 'classifier-mnist',
      dataset: 'mnist',
      config: { channels: 1, height: 28, width: 28, classes: 10, widths: [16, 32, 32, 64] },
      classNames: ['0'],
      featureDim: 64,
      heldOutAccuracy: 0.968,
      steps: 1500,
      sha256: 'c'.repeat(64),
    };
    expect(parseClassifierInfo(JSON.stringify(first), 'x.json').featureDim).toBe(64);
    expect(() =>
      parseClassifierInfo(JSON.stringify({ ...first, heldOutAccuracy: 2 }), 'x.json'),
    ).toThrow(/x\.json: not a classifier description \(heldOutAccuracy/);
    expect(() => parseClassifierInfo('{', 'x.json')).toThrow(/x\.json: not JSON/);
  });
});
