import { describe, expect, it } from 'vitest';
import {
  karrasSigmas,
  logSnrSigmas,
  makeSigmas,
  timeUniformSigmas,
  validateSigmas,
  type ScheduleName,
} from './schedule';

describe('karrasSigmas', () => {
  it('follows the EDM polynomial and ends at 0', () => {
    const s = karrasSigmas(5);
    expect(s).toHaveLength(6);
    expect(s[0]).toBeCloseTo(80, 10);
    expect(s[4]).toBeCloseTo(0.002, 12);
    expect(s[5]).toBe(0);
    // Middle level: midpoint of sigma^(1/7) between the ends.
    const mid = ((80 ** (1 / 7) + 0.002 ** (1 / 7)) / 2) ** 7;
    expect(s[2]).toBeCloseTo(mid, 10);
  });

  it('a single step starts at sigmaMax', () => {
    expect(karrasSigmas(1)).toEqual([80, 0]);
  });

  it("end 'sigmaMin' gives N+1 positive levels with the same end points", () => {
    const s = karrasSigmas(4, { end: 'sigmaMin', sigmaMin: 0.01, sigmaMax: 10, rho: 3 });
    expect(s).toHaveLength(5);
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[4]).toBeCloseTo(0.01, 12);
    const q = ((10 ** (1 / 3) * 3 + 0.01 ** (1 / 3)) / 4) ** 3;
    expect(s[1]).toBeCloseTo(q, 12);
  });

  it.each([0, -3, 2.5, 1001, Number.NaN])('rejects steps = %s', (n) => {
    expect(() => karrasSigmas(n)).toThrow(/steps must be an integer in 1\.\.1000/);
  });

  it('rejects bad sigma bounds', () => {
    expect(() => karrasSigmas(4, { sigmaMin: 0 })).toThrow(/sigmaMin/);
    expect(() => karrasSigmas(4, { sigmaMax: 0.001 })).toThrow(/sigmaMax/);
    expect(() => karrasSigmas(4, { rho: -1 })).toThrow(/rho/);
  });
});

describe('other schedules', () => {
  it('logSNR spacing is geometric', () => {
    const s = logSnrSigmas(4);
    const ratios = [s[1] / s[0], s[2] / s[1], s[3] / s[2]];
    for (const r of ratios) expect(r).toBeCloseTo((0.002 / 80) ** (1 / 3), 12);
    expect(s[4]).toBe(0);
  });

  it('time-uniform hits both ends and decreases', () => {
    const s = timeUniformSigmas(10, { end: 'sigmaMin' });
    expect(s[0]).toBeCloseTo(80, 8);
    expect(s[10]).toBeCloseTo(0.002, 10);
    expect(() => validateSigmas(s)).not.toThrow();
  });

  it.each<ScheduleName>(['karras', 'logsnr', 'time-uniform'])('%s gives valid grids', (name) => {
    for (const end of ['zero', 'sigmaMin'] as const) {
      const s = makeSigmas(name, 7, { end });
      expect(s).toHaveLength(8);
      expect(validateSigmas(s)).toBe(7);
    }
  });
});

describe('validateSigmas', () => {
  it('rejects lists that are not strictly decreasing', () => {
    expect(() => validateSigmas([1, 1, 0])).toThrow(/strictly decreasing: sigmas\[1\]/);
    expect(() => validateSigmas([1, 2, 0])).toThrow(/strictly decreasing/);
  });
  it('rejects short, negative, non-finite and interior-zero lists', () => {
    expect(() => validateSigmas([1])).toThrow(/at least 2/);
    expect(() => validateSigmas([1, -1])).toThrow(/sigmas\[1\]/);
    expect(() => validateSigmas([Number.NaN, 0])).toThrow(/sigmas\[0\]/);
    expect(() => validateSigmas([2, 0, 0])).toThrow(/only the last/);
  });
});
