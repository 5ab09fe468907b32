import { describe, expect, it } from 'vitest';
import {
  indexToBits,
  levelsToSigned,
  packIndex,
  quantize,
  signedToLevels,
  unpackIndex,
} from './fsq';
import { Rng } from './rng';

describe('quantize', () => {
  it('is floor(L sigmoid(y)) clamped to L-1', () => {
    expect([...quantize([-3, -0.01, 0, 2, 50], 2)]).toEqual([0, 0, 1, 1, 1]);
    // L = 4: thresholds at logit(1/4), 0, logit(3/4) = -1.0986, 0, 1.0986.
    expect([...quantize([-1.2, -1.0, -0.1, 0.1, 1.0, 1.2, 1e6], 4)]).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
  it('rejects NaN and bad level counts', () => {
    expect(() => quantize([Number.NaN], 2)).toThrow(/channel 0 is NaN/);
    expect(() => quantize([0], 1)).toThrow(/levels must be an integer in 2..256/);
  });
});

describe('pack / unpack', () => {
  it('index = sum q_i L^i (channel 0 least significant)', () => {
    expect(packIndex([1, 0, 1, 1], 2)).toBe(0b1101);
    expect(packIndex([2, 0, 1], 3)).toBe(2 + 0 * 3 + 1 * 9);
    expect([...unpackIndex(0b1101, 2, 4)]).toEqual([1, 0, 1, 1]);
  });
  it('round-trips random codes for several L and d', () => {
    const r = new Rng(5);
    for (const [levels, channels] of [
      [2, 1],
      [2, 16],
      [2, 32],
      [3, 20],
      [5, 7],
      [256, 6],
    ]) {
      for (let t = 0; t < 200; t++) {
        const q = Uint8Array.from({ length: channels }, () => r.nextU32() % levels);
        const index = packIndex(q, levels);
        expect(index).toBeLessThan(levels ** channels);
        expect(unpackIndex(index, levels, channels)).toEqual(q);
      }
    }
  });
  it('rejects out-of-range inputs', () => {
    expect(() => packIndex([0, 2], 2)).toThrow(/channel 1 = 2 is not a level in 0..1/);
    expect(() => unpackIndex(16, 2, 4)).toThrow(/outside 0..15/);
    expect(() => unpackIndex(0, 2, 60)).toThrow(/do not fit a safe integer/);
  });
});

describe('+-1 bits', () => {
  it('maps level 1 to +1 and back', () => {
    expect([...levelsToSigned([1, 0, 1])]).toEqual([1, -1, 1]);
    expect([...signedToLevels([1, -1, 1])]).toEqual([1, 0, 1]);
    expect([...indexToBits(0b110, 3)]).toEqual([-1, 1, 1]);
    expect(() => signedToLevels([0.5])).toThrow(/not \+1 or -1/);
    expect(() => levelsToSigned([2])).toThrow(/not a bit/);
  });
});
