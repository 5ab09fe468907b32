import { SOLVER_NAMES, snapNfe, solverFacts, type SolverName } from '../../core';
import type { LabCell, LabParams, LabRun } from '../worker/protocol';
import type { Settings } from './settings';

/** The lab's columns: the few-step range one by one, then a budget where most have converged. */
export const LAB_NFES = [3, 4, 5, 6, 7, 8, 9, 10, 20] as const;

/** One cell of the grid: the column's NFE and what the row's solver actually spends there. */
export interface LabSlot extends LabRun {
  column: number;
}

/** The lab's rows and columns for these settings: every registered solver, each NFE snapped. */
export function labLayout(afs: boolean): LabSlot[][] {
  const max = LAB_NFES[LAB_NFES.length - 1];
  return SOLVER_NAMES.map((solver) =>
    LAB_NFES.map((column) => ({
      solver,
      column,
      nfe: snapNfe(solver, afs && solverFacts(solver).afs, column, max),
    })),
  );
}

/** The settings the lab depends on; a change of any other setting leaves it as it is. */
export const LAB_KEYS: readonly (keyof Settings & keyof LabParams)[] = [
  'afs',
  'gridEnd',
  'churn',
  'seed',
  'code',
];

export function labParams(s: Settings): LabParams {
  return { afs: s.afs, gridEnd: s.gridEnd, churn: s.churn, seed: s.seed, code: s.code };
}

export function labKey(run: LabRun): string {
  return `${run.solver}/${run.nfe}`;
}

/** Each distinct run of a layout once, row by row (columns a solver snaps alike share one). */
export function labRuns(layout: LabSlot[][]): LabRun[] {
  const seen = new Map<string, LabRun>();
  for (const slot of layout.flat()) {
    const key = labKey(slot);
    if (!seen.has(key)) seen.set(key, { solver: slot.solver, nfe: slot.nfe });
  }
  return [...seen.values()];
}

// Tableau 20's darker half then its lighter half: distinct hues for up to 20 solvers.
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#aec7e8',
  '#ffbb78',
  '#98df8a',
  '#ff9896',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#c7c7c7',
  '#dbdb8d',
  '#9edae5',
];

export function solverColour(solver: SolverName): string {
  return PALETTE[SOLVER_NAMES.indexOf(solver) % PALETTE.length];
}

export interface LabSeries {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

/**
 * Error against NFE for the chart: x is every NFE some solver spends, each solver a solid QAC line
 * and a dashed baseline line in its colour, null where it spends no such NFE or is not done yet.
 */
export function labChart(
  layout: LabSlot[][],
  cells: Readonly<Record<string, LabCell>>,
): { x: number[]; series: LabSeries[] } {
  const x = [...new Set(layout.flat().map((s) => s.nfe))].sort((a, b) => a - b);
  const series: LabSeries[] = [];
  for (const row of layout) {
    const solver = row[0].solver;
    const at = (nfe: number) => cells[labKey({ solver, nfe })];
    const color = solverColour(solver);
    series.push({
      label: `${solver} QAC`,
      values: x.map((nfe) => at(nfe)?.errorQac ?? null),
      color,
    });
    series.push({
      label: `${solver} baseline`,
      values: x.map((nfe) => at(nfe)?.errorBaseline ?? null),
      color,
      dash: [6, 4],
    });
  }
  return { x, series };
}
