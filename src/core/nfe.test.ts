import { describe, expect, it } from 'vitest';
import { achievableNfes, nfeForSteps, snapNfe, stepsForNfe } from './nfe';
import { SOLVER_NAMES, SOLVERS } from './solvers';

describe('NFE from the solver registry', () => {
  it('maps steps to calls and back for every solver, with and without AFS', () => {
    for (const name of SOLVER_NAMES) {
      for (const afs of SOLVERS[name].afs ? [false, true] : [false]) {
        const choices = achievableNfes(name, afs, 50);
        expect(choices.length).toBeGreaterThan(10);
        for (const nfe of choices)
          expect(nfeForSteps(name, stepsForNfe(name, nfe, afs), afs)).toBe(nfe);
      }
    }
  });

  it('snaps an impossible NFE to the nearest possible one, preferring fewer calls', () => {
    expect(snapNfe('heun', false, 6, 50)).toBe(5);
    expect(snapNfe('heun', false, 7, 50)).toBe(7);
    expect(snapNfe('heun', true, 5, 50)).toBe(4);
    expect(snapNfe('euler', false, 6, 50)).toBe(6);
    expect(snapNfe('ipndm', false, 80, 50)).toBe(50);
    expect(snapNfe('heun', false, 99999, 50)).toBe(49);
    expect(snapNfe('euler', false, 0, 50)).toBe(1);
  });

  it('refuses AFS for solvers that have none, and unknown solvers by name', () => {
    expect(() => stepsForNfe('euler-ancestral', 4, true)).toThrow(/AFS applies only/);
    expect(() => stepsForNfe('rk45' as never, 4)).toThrow(/unknown solver 'rk45'; one of ipndm/);
    expect(() => stepsForNfe('heun', 6)).toThrow(/nearest: 5 or 7/);
  });
});
