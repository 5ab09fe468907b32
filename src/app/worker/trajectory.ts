import { trajectoryCurvature, type StepInfo } from '../../core';
import type { Trajectory } from './protocol';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Coordinates of each point in the plane through x_T spanned by the chord x_0 - x_T and the part
 * of x_T orthogonal to it: a runs along the chord, b shows how far the path bends away from it.
 * Only for drawing; the curvature numbers come from core.
 */
function planeOf(points: Float32Array[], xT: Float32Array, x0: Float32Array) {
  const n = xT.length;
  const e1 = new Float32Array(n);
  for (let i = 0; i < n; i++) e1[i] = x0[i] - xT[i];
  const len1 = Math.sqrt(dot(e1, e1)) || 1;
  for (let i = 0; i < n; i++) e1[i] /= len1;
  const e2 = xT.slice();
  const along = dot(e2, e1);
  for (let i = 0; i < n; i++) e2[i] -= along * e1[i];
  const len2 = Math.sqrt(dot(e2, e2)) || 1;
  for (let i = 0; i < n; i++) e2[i] /= len2;
  const rel = new Float32Array(n);
  return points.map((p) => {
    for (let i = 0; i < n; i++) rel[i] = p[i] - xT[i];
    return { a: dot(rel, e1), b: dot(rel, e2) };
  });
}

/** One sample's trajectory (steps hold that sample's buffers) with its curvature (SPEC section 7). */
export function trajectoryOf(steps: StepInfo[], sigmas: number[], final: Float32Array): Trajectory {
  const xT = steps[0].x;
  const c = trajectoryCurvature(steps, xT, final);
  const xt = [...steps.map((s) => s.x), final];
  return {
    sigmas,
    xt,
    x0: steps.map((s) => s.denoised),
    curvature: Array.from(c.relative[0]),
    cosine: Array.from(c.cosine[0]),
    total: c.meanRelative[0],
    plane: planeOf(xt, xT, final),
  };
}
