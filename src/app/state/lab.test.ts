import { describe, expect, it } from 'vitest';
import { SOLVER_NAMES, achievableNfes, solverFacts } from '../../core';
import type { LabCell } from '../worker/protocol';
import { LAB_NFES, labChart, labKey, labLayout, labRuns } from './lab';

describe('the solver lab grid', () => {
  it('has a row per registered solver, each column at an NFE the solver spends exactly', () => {
    const layout = labLayout(true);
    expect(layout.map((row) => row[0].solver)).toEqual(SOLVER_NAMES);
    for (const row of layout) {
      expect(row.map((s) => s.column)).toEqual([...LAB_NFES]);
      // AFS only where the solver takes it.
      const choices = achievableNfes(row[0].solver, solverFacts(row[0].solver).afs, 20);
      for (const slot of row) expect(choices).toContain(slot.nfe);
    }
    // Heun spends odd NFEs only (2 calls a step, one for the last): 4 runs as 3, ties go down.
    const heun = labLayout(false).find((row) => row[0].solver === 'heun')!;
    expect(heun.map((s) => s.nfe)).toEqual([3, 3, 5, 5, 7, 7, 9, 9, 19]);
  });

  it('runs each distinct solver/NFE once', () => {
    const layout = labLayout(false);
    const runs = labRuns(layout);
    expect(new Set(runs.map(labKey)).size).toBe(runs.length);
    expect(new Set(layout.flat().map(labKey))).toEqual(new Set(runs.map(labKey)));
    expect(runs.filter((r) => r.solver === 'heun').map((r) => r.nfe)).toEqual([3, 5, 7, 9, 19]);
  });

  it('charts QAC solid and the baseline dashed, with gaps where a solver spends no such NFE', () => {
    const layout = labLayout(false);
    const cell = (solver: LabCell['solver'], nfe: number, e: number): LabCell => ({
      solver,
      nfe,
      steps: nfe,
      seed: 0,
      qac: new Float32Array(1),
      baseline: new Float32Array(1),
      errorQac: e,
      errorBaseline: 2 * e,
    });
    const cells = {
      [labKey({ solver: 'euler', nfe: 4 })]: cell('euler', 4, 0.3),
      [labKey({ solver: 'heun', nfe: 3 })]: cell('heun', 3, 0.2),
    };
    const { x, series } = labChart(layout, cells);
    expect(x).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 19, 20]);
    expect(series).toHaveLength(2 * SOLVER_NAMES.length);
    const euler = series.find((s) => s.label === 'euler QAC')!;
    const eulerBase = series.find((s) => s.label === 'euler baseline')!;
    expect(euler.values[x.indexOf(4)]).toBe(0.3);
    expect(eulerBase.values[x.indexOf(4)]).toBe(0.6);
    expect(euler.dash).toBeUndefined();
    expect(eulerBase.dash).toEqual([6, 4]);
    expect(euler.color).toBe(eulerBase.color);
    // Heun has no NFE 4 cell: a gap, not a zero.
    expect(series.find((s) => s.label === 'heun QAC')!.values[x.indexOf(4)]).toBeNull();
  });
});
