import type { GridEnd, SolverName } from '../../core';
import type { LoadedModel } from '../../runtime';
import { sampleModel } from '../../runtime/sample';
import { encodePngGrid } from '../io/png-grid';

/**
 * One PNG: for each NFE a row of `count` QAC samples above a row of baseline samples, from the
 * same seeds (same x_T), so each column is one starting noise through both models; blocks are
 * separated by a white row.
 */
export async function pairGridPng(
  qac: LoadedModel,
  baseline: LoadedModel,
  opts: {
    solver: SolverName;
    afs: boolean;
    nfes: readonly number[];
    count: number;
    seed: number;
    end: GridEnd;
  },
): Promise<Buffer> {
  const { channels, height, width } = qac.manifest.image;
  const size = qac.imageSize;
  const rows: Float32Array[] = [];
  // A white row between NFE blocks, so the QAC/baseline pairs read as pairs.
  const spacer = new Float32Array(opts.count * size).fill(1);
  for (const [i, nfe] of opts.nfes.entries()) {
    if (i > 0) rows.push(spacer);
    for (const model of [qac, baseline]) {
      const r = await sampleModel(model, {
        solver: opts.solver,
        nfe,
        afs: opts.afs,
        seed: opts.seed,
        batch: opts.count,
        end: opts.end,
      });
      rows.push(r.x);
    }
  }
  const all = new Float32Array(rows.length * opts.count * size);
  rows.forEach((r, i) => all.set(r, i * opts.count * size));
  return encodePngGrid(all, [rows.length * opts.count, channels, height, width], {
    columns: opts.count,
  });
}
