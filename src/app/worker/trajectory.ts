import { projectTrajectory, trajectoryCurvature, type StepInfo } from '../../core';
import type { Trajectory } from './protocol';

/** One sample's trajectory (steps hold that sample's buffers) with its curvature (docs/math.md §7). */
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
    plane: projectTrajectory(xt, xT, final),
  };
}
