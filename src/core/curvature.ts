/**
 * Trajectory curvature (docs/math.md §7, after Lee et al. 2023). For a trajectory from x_start at
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

/** A point of a trajectory in its 2-D view (see `projectTrajectory`). */
export interface PlanePoint {
  /** Distance along the chord from x_start towards x_end. */
  a: number;
  /** Distance away from the chord, positive on the side away from the origin. */
  b: number;
}

function dot(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Orthogonal projection of trajectory points onto the plane spanned by x_start and x_end (one
 * sample), in coordinates with x_start at (0, 0) and x_end at (|x_end - x_start|, 0): a runs
 * along the chord, b along the part of x_start orthogonal to the chord. A straight path stays
 * on b = 0; how far it leaves that line is how much it bends within the plane.
 */
export function projectTrajectory(
  points: readonly Float32Array[],
  xStart: Float32Array,
  xEnd: Float32Array,
): PlanePoint[] {
  const n = xStart.length;
  if (xEnd.length !== n) {
    throw new RangeError(`x start has ${n} values but x end has ${xEnd.length}`);
  }
  points.forEach((p, i) => {
    if (p.length !== n) throw new RangeError(`point ${i} has ${p.length} values, expected ${n}`);
  });
  const e1 = new Float64Array(n);
  for (let i = 0; i < n; i++) e1[i] = xEnd[i] - xStart[i];
  const len1 = Math.sqrt(dot(e1, e1));
  if (!(len1 > 0)) throw new RangeError('start and end coincide, the chord is 0');
  for (let i = 0; i < n; i++) e1[i] /= len1;
  const e2 = Float64Array.from(xStart);
  const along = dot(e2, e1);
  for (let i = 0; i < n; i++) e2[i] -= along * e1[i];
  // x_start on the chord's line through the origin: the plane degenerates to that line, b = 0.
  const len2 = Math.sqrt(dot(e2, e2));
  for (let i = 0; i < n; i++) e2[i] = len2 > 0 ? e2[i] / len2 : 0;
  const rel = new Float64Array(n);
  return points.map((p) => {
    for (let i = 0; i < n; i++) rel[i] = p[i] - xStart[i];
    return { a: dot(rel, e1), b: dot(rel, e2) };
  });
}
