import type { ImageShape } from '../../core';

/**
 * Where the tiles of each image export go (no DOM, no encoder: the e2e suite reads exports back
 * with these).
 */

/** A table of equal cells after a label column and a header: where each cell's corner is. */
export interface TableLayout {
  width: number;
  height: number;
  zoom: number;
  cellW: number;
  cellH: number;
  /** Top-left corner of cell (row, col). */
  cell: (row: number, col: number) => { x: number; y: number };
}

const GAP = 4;

function table(
  rows: number,
  cols: number,
  o: { left: number; top: number; cellW: number; cellH: number; zoom: number },
): TableLayout {
  return {
    width: o.left + cols * (o.cellW + GAP),
    height: o.top + rows * (o.cellH + GAP),
    zoom: o.zoom,
    cellW: o.cellW,
    cellH: o.cellH,
    cell: (row, col) => ({ x: o.left + col * (o.cellW + GAP), y: o.top + row * (o.cellH + GAP) }),
  };
}

/** Rows of the filmstrip sheet, top to bottom. */
export const FILMSTRIP_ROWS = [
  { model: 'qac', frames: 'xt', label: 'QAC x_t' },
  { model: 'qac', frames: 'x0', label: 'QAC x0-hat' },
  { model: 'baseline', frames: 'xt', label: 'baseline x_t' },
  { model: 'baseline', frames: 'x0', label: 'baseline x0-hat' },
] as const;

/** The filmstrip as a PNG sheet: one column per step (x_T ... x_0), 3x. */
export function filmstripSheetLayout(shape: ImageShape, columns: number): TableLayout {
  const zoom = 3;
  return table(FILMSTRIP_ROWS.length, columns, {
    left: 110,
    top: 40,
    cellW: shape.width * zoom,
    cellH: shape.height * zoom,
    zoom,
  });
}

/** A filmstrip GIF frame: QAC x_t, QAC x0-hat, baseline x_t, baseline x0-hat in a row, 4x. */
export function filmstripGifLayout(shape: ImageShape): TableLayout {
  const zoom = 4;
  return table(1, FILMSTRIP_ROWS.length, {
    left: 0,
    top: 0,
    cellW: shape.width * zoom,
    cellH: shape.height * zoom,
    zoom,
  });
}

/** The lab grid as a PNG: per cell QAC then baseline side by side, 2x, the errors below them. */
export function labSheetLayout(
  shape: ImageShape,
  rows: number,
  columns: number,
): TableLayout & { baselineX: number } {
  const zoom = 2;
  const tile = shape.width * zoom;
  return {
    ...table(rows, columns, {
      left: 130,
      top: 40,
      // Wide enough for the "@N 0.123 | 0.456" line under small images.
      cellW: Math.max(2 * tile + 2, 120),
      cellH: shape.height * zoom + 16,
      zoom,
    }),
    baselineX: tile + 2,
  };
}
