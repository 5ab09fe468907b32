/**
 * Trajectory curvature (SPEC section 7, after Lee et al. 2023). For a trajectory from x_start at
 * sigma_start to x_end at sigma_end the chord velocity is u = (x_start - x_end) /
 * (sigma_start - sigma_end) (= (x_T - x_0) / sigma_max on a grid ending at 0). Each step's slope
 * d_i is compared with it: ||d_i - u||^2 / ||u||^2 and the bounded 1 - cos(d_i, u). The trajectory
 * value is the delta-sigma weighted mean over steps. Everything is per sample of a batch.
 */

export interface TrajectoryStep {
  sigma: number;
  sigmaNext: number;
  d: Float32Array;
}

export interface Curvature {
  /** relative[k][i] = ||d_i - u||^2 / ||u||^2 for sample k. */
  relative: Float64Array[];
  /** cosine[k][i] = 1 - cos(d_i, u). */
  cosine: Float64Array[];
  /** Delta-sigma weighted means per sample. */
  meanRelative: number[];
  meanCosine: number[];
}

export function trajectoryCurvature(
  steps: readonly TrajectoryStep[],
  xStart: Float32Array,
  xEnd: Float32Array,
  batch = 1,
): Curvature {
  if (steps.length === 0) throw new RangeError('curvature needs at least one step');
  if (xStart.length !== xEnd.length) {
    throw new RangeError(`x start has ${xStart.length} values but x end has ${xEnd.length}`);
  }
  if (!Number.isInteger(batch) || batch < 1 || xStart.length % batch !== 0) {
    throw new RangeError(`batch ${batch} does not divide the ${xStart.length} values`);
  }
  const size = xStart.length / batch;
  const span = steps[0].sigma - steps[steps.length - 1].sigmaNext;
  const weights = steps.map((s, i) => {
    const w = s.sigma - s.sigmaNext;
    if (!(w > 0))
      throw new RangeError(`step ${i}: sigma must decrease, got ${s.sigma} -> ${s.sigmaNext}`);
    if (s.d.length !== xStart.length) {
      throw new RangeError(`step ${i}: d has ${s.d.length} values, expected ${xStart.length}`);
    }
    return w;
  });
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const out: Curvature = { relative: [], cosine: [], meanRelative: [], meanCosine: [] };
  const u = new Float64Array(size);
  for (let k = 0; k < batch; k++) {
    const off = k * size;
    let uu = 0;
    for (let j = 0; j < size; j++) {
      u[j] = (xStart[off + j] - xEnd[off + j]) / span;
      uu += u[j] * u[j];
    }
    if (!(uu > 0)) throw new RangeError(`sample ${k}: start and end coincide, the chord is 0`);
    const rel = new Float64Array(steps.length);
    const cos = new Float64Array(steps.length);
    steps.forEach((s, i) => {
      let diff = 0;
      let dd = 0;
      let du = 0;
      for (let j = 0; j < size; j++) {
        const v = s.d[off + j];
        diff += (v - u[j]) ** 2;
        dd += v * v;
        du += v * u[j];
      }
      rel[i] = diff / uu;
      cos[i] = dd > 0 ? 1 - du / Math.sqrt(dd * uu) : 1;
    });
    out.relative.push(rel);
    out.cosine.push(cos);
    out.meanRelative.push(rel.reduce((a, v, i) => a + weights[i] * v, 0) / totalWeight);
    out.meanCosine.push(cos.reduce((a, v, i) => a + weights[i] * v, 0) / totalWeight);
  }
  return out;
}
