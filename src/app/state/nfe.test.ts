import { describe, expect, it } from 'vitest';
import { stepsForNfe } from '../../core';
import { MAX_NFE, nfeChoices, sampleParams, snapNfe } from './nfe';
import { DEFAULT_SETTINGS, SOLVERS } from './settings';

describe('NFE choices', () => {
  it('offers only NFEs each solver can spend exactly, within 1..50', () => {
    for (const { id } of SOLVERS) {
      for (const afs of [false, true]) {
        const choices = nfeChoices(id, afs);
        expect(choices.length).toBeGreaterThan(10);
        expect(Math.max(...choices)).toBeLessThanOrEqual(MAX_NFE);
        const usesAfs = afs && !SOLVERS.find((s) => s.id === id)!.stochastic;
        for (const nfe of choices) expect(() => stepsForNfe(id, nfe, usesAfs)).not.toThrow();
      }
    }
  });

  it('snaps an impossible NFE to the nearest possible one, preferring fewer calls', () => {
    expect(snapNfe('heun', false, 6)).toBe(5);
    expect(snapNfe('heun', false, 7)).toBe(7);
    expect(snapNfe('heun', true, 5)).toBe(4);
    expect(snapNfe('euler', false, 6)).toBe(6);
    expect(snapNfe('ipndm', false, 80)).toBe(50);
  });

  it('drops AFS for the stochastic solvers', () => {
    const p = sampleParams({ ...DEFAULT_SETTINGS, solver: 'euler-ancestral', afs: true, nfe: 6 });
    expect(p.afs).toBe(false);
    expect(p.nfe).toBe(6);
  });
});
