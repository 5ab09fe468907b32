import { SOLVERS, type ImageShape } from '../../core';
import { describeRun } from '../state/describe';
import { labKey } from '../state/lab';
import type { Lab } from '../state/types';
import type { PairSample } from '../worker/protocol';
import { FILMSTRIP_ROWS, filmstripGifLayout, filmstripSheetLayout, labSheetLayout } from './layout';
import { Raster, gifBytes, pngBytes, type Label } from './sheet';

const FRAME_MS = 400;
const LAST_FRAME_MS = 1600;

/** The image a filmstrip row shows at step f: x0-hat has one fewer (none after the last step). */
function frameOf(s: PairSample, row: (typeof FILMSTRIP_ROWS)[number], f: number) {
  // A QAC model loaded alone has no baseline: its rows stay blank.
  const t = s[row.model]?.trajectory;
  if (!t) return null;
  return row.frames === 'xt' ? t.xt[f] : t.x0[f];
}

/** Sample 0's steps as a looping GIF, each frame x_t and x0-hat of both models (as the panel). */
export function filmstripGif(s: PairSample, shape: ImageShape): Uint8Array<ArrayBuffer> {
  const layout = filmstripGifLayout(shape);
  const frames: Raster[] = [];
  const count = s.qac.trajectory.xt.length;
  for (let f = 0; f < count; f++) {
    const r = new Raster(layout.width, layout.height);
    FILMSTRIP_ROWS.forEach((row, k) => {
      const last = (s[row.model]?.trajectory.x0.length ?? 1) - 1;
      const img = frameOf(s, row, row.frames === 'x0' ? Math.min(f, last) : f);
      if (!img) return;
      const { x, y } = layout.cell(0, k);
      r.put(img, shape, 0, x, y, layout.zoom);
    });
    frames.push(r);
  }
  return gifBytes(
    frames,
    frames.map((_, f) => (f === count - 1 ? LAST_FRAME_MS : FRAME_MS)),
  );
}

/** Every step of sample 0 on one PNG: rows x_t and x0-hat per model, a column per step. */
export function filmstripSheet(s: PairSample, shape: ImageShape): Promise<Uint8Array<ArrayBuffer>> {
  const sigmas = s.qac.trajectory.sigmas;
  const columns = s.qac.trajectory.xt.length;
  const layout = filmstripSheetLayout(shape, columns);
  const r = new Raster(layout.width, layout.height);
  const labels: Label[] = [{ text: describeRun(s.params), x: 4, y: 4, bold: true }];
  FILMSTRIP_ROWS.forEach((row, i) => {
    labels.push({ text: row.label, x: 4, y: layout.cell(i, 0).y + layout.cellH / 2 - 6 });
    for (let f = 0; f < columns; f++) {
      const img = frameOf(s, row, f);
      if (!img) continue;
      const { x, y } = layout.cell(i, f);
      r.put(img, shape, 0, x, y, layout.zoom);
    }
  });
  for (let f = 0; f < columns; f++) {
    const sigma = f < sigmas.length ? sigmas[f] : 0;
    labels.push({ text: `σ ${sigma.toPrecision(2)}`, x: layout.cell(0, f).x, y: 22 });
  }
  return pngBytes(r, labels);
}

/** The lab's grid on one PNG: a row per solver, a column per NFE, QAC | baseline and their RMSE. */
export function labSheet(lab: Lab, shape: ImageShape): Promise<Uint8Array<ArrayBuffer>> {
  const cols = lab.layout[0]?.length ?? 0;
  const layout = labSheetLayout(shape, lab.layout.length, cols);
  const r = new Raster(layout.width, layout.height);
  const p = lab.params;
  const labels: Label[] = [
    {
      text:
        `Solver lab, seed ${p.seed}${p.code === null ? '' : `, code ${p.code}`}, ` +
        `grid end ${p.gridEnd}${p.afs ? ', AFS where it applies' : ''}; ` +
        'each cell QAC | baseline, RMSE to DPM++(2M) at NFE 100 in [-1, 1] units',
      x: 4,
      y: 4,
      bold: true,
    },
  ];
  lab.layout[0]?.forEach((slot, c) =>
    labels.push({ text: `NFE ${slot.column}`, x: layout.cell(0, c).x, y: 22 }),
  );
  lab.layout.forEach((row, i) => {
    const y0 = layout.cell(i, 0).y;
    labels.push({ text: SOLVERS[row[0].solver].label, x: 4, y: y0 + 4 });
    row.forEach((slot, c) => {
      const { x, y } = layout.cell(i, c);
      const cell = lab.cells[labKey(slot)];
      if (!cell) return;
      r.put(cell.qac, shape, 0, x, y, layout.zoom);
      if (cell.baseline) r.put(cell.baseline, shape, 0, x + layout.baselineX, y, layout.zoom);
      // A solver that cannot spend the column's NFE ran its nearest one: say which.
      const spent = slot.nfe === slot.column ? '' : `@${slot.nfe} `;
      labels.push({
        text: `${spent}${cell.errorQac.toFixed(3)} | ${cell.errorBaseline?.toFixed(3) ?? '-'}`,
        x,
        y: y + shape.height * layout.zoom + 2,
      });
    });
  });
  return pngBytes(r, labels);
}
