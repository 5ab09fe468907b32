import { describe, expect, it } from 'vitest';
import { slowestLines } from '../../scripts/slowest';

describe('slowestLines', () => {
  it('names the k slowest tests, slowest first, with the total test time', () => {
    const tests = Array.from({ length: 14 }, (_, i) => ({
      name: `t${i}`,
      ms: (i * 7919) % 13_000,
    }));
    const lines = slowestLines('vitest', tests);
    expect(lines[0]).toBe(
      `vitest: the 10 slowest of 14 tests (${(tests.reduce((s, t) => s + t.ms, 0) / 1000).toFixed(1)} s of test time in all)`,
    );
    const shown = lines.slice(1).map((l) => Number(l.trim().split(' ')[0]));
    expect(shown).toHaveLength(10);
    expect([...shown].sort((a, b) => b - a)).toEqual(shown);
    const slowest = [...tests].sort((a, b) => b.ms - a.ms)[0]!;
    expect(lines[1]).toContain(`${(slowest.ms / 1000).toFixed(1)} s  ${slowest.name}`);
    expect(slowestLines('playwright', tests.slice(0, 3))).toHaveLength(4);
  });
});
