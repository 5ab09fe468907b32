import type { StepInfo } from '../../core';
import type { Trajectory } from './protocol';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Coordinates of x in the plane through x_T spanned by the chord x_0 - x_T and the part of x_T
 * orthogonal to it: a runs along the chord, b measures how far the path bends away from it.
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

/** Sample 0's trajectory with its per-step curvature (SPEC section 7) and plane coordinates. */
export function trajectoryOf(steps: StepInfo[], sigmas: number[], final: Float32Array): Trajectory {
  const xT = steps[0].x;
  const smax = sigmas[0];
  const u = new Float32Array(xT.length);
  for (let i = 0; i < u.length; i++) u[i] = (xT[i] - final[i]) / smax;
  const uu = dot(u, u);
  const curvature: number[] = [];
  const cosine: number[] = [];
  const diff = new Float32Array(u.length);
  for (const s of steps) {
    for (let i = 0; i < u.length; i++) diff[i] = s.d[i] - u[i];
    curvature.push(dot(diff, diff) / uu);
    cosine.push(1 - dot(s.d, u) / Math.sqrt(dot(s.d, s.d) * uu));
  }
  let weighted = 0;
  let span = 0;
  steps.forEach((s, k) => {
    const ds = s.sigma - s.sigmaNext;
    weighted += ds * curvature[k];
    span += ds;
  });
  const xt = [...steps.map((s) => s.x), final];
  return {
    sigmas,
    xt,
    x0: steps.map((s) => s.denoised),
    curvature,
    cosine,
    total: weighted / span,
    plane: planeOf(xt, xT, final),
  };
}
