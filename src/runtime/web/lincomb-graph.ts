import { exportModel, Graph, op } from '../../graph';
import { LINCOMB } from './lincomb-names';

// Any batch above 1 (so the symbolic batch axis cannot be confused with a broadcast axis).
const BUILD_BATCH = 2;

/**
 * ONNX for out = sum_k c[:, k] * v_k over [B, C, H, W] images, any batch B. The coefficients are
 * an input (repeated per sample, [B, K, 1, 1], so the batch axis stays axis 0 everywhere), so one
 * session per term count serves every step of every solver.
 */
export function lincombGraph(terms: number, image: readonly [number, number, number]): Uint8Array {
  if (!Number.isInteger(terms) || terms < 1) {
    throw new RangeError(`a linear combination needs at least one term, got ${terms}`);
  }
  const g = new Graph();
  const c = g.input(LINCOMB.coeffs, [BUILD_BATCH, terms, 1, 1]);
  const parts = op.split(c, new Array<number>(terms).fill(1), 1);
  let out = op.mul(parts[0]!, g.input(LINCOMB.term(0), [BUILD_BATCH, ...image]));
  for (let k = 1; k < terms; k++) {
    out = op.add(out, op.mul(parts[k]!, g.input(LINCOMB.term(k), [BUILD_BATCH, ...image])));
  }
  return exportModel(g, { [LINCOMB.out]: out }, `lincomb${terms}`, { dynamicBatch: 'batch' }).model;
}
