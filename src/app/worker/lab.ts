import { solverFacts, type RunPlan, type RunSettings } from '../../core';
import type { LabCell, LabParams, LabReference, LabRun } from './protocol';
import { runImages, type Engine, type RunHooks } from './runs';

/**
 * The reference every lab cell is measured against: DPM-Solver++(2M) at NFE 100 on the lab's own
 * grid end, so that as the NFE grows each deterministic solver converges to it rather than to an
 * answer that differs by where the grid stops. No AFS: it stands in for the first call, which a
 * converged run should not.
 */
export const LAB_REFERENCE: LabRun = { solver: 'dpmpp-2m', nfe: 100 };

/** RMSE between two images in the models' [-1, 1] pixel units. */
export function rmse(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / a.length);
}

/** The run settings of one lab run: sample 0 alone, AFS only where the solver takes it. */
export function labSettings(p: LabParams, run: LabRun, afs = p.afs): RunSettings {
  return {
    solver: run.solver,
    nfe: run.nfe,
    afs: afs && solverFacts(run.solver).afs,
    gridEnd: p.gridEnd,
    churn: p.churn,
    batch: 1,
    seed: p.seed,
    code: p.code,
  };
}

export interface LabEngines {
  qac: Engine;
  /** Null when a QAC model was loaded alone: the cells then hold QAC only. */
  baseline: Engine | null;
  plan: (s: RunSettings) => RunPlan;
}

/**
 * Runs the reference, then every run once (whatever order, repeats skipped), calling back as each
 * finishes so the page fills the grid progressively. Every plan has batch 1 and the lab's seed, so
 * all of them start from one x_T under one code.
 */
export async function runLab(
  e: LabEngines,
  p: LabParams,
  runs: readonly LabRun[],
  hooks: RunHooks,
  emit: {
    reference: (r: LabReference) => void;
    cell: (c: LabCell) => void;
  },
): Promise<void> {
  const refPlan = e.plan(labSettings(p, LAB_REFERENCE, false));
  const refQ = await runImages(e.qac, refPlan, hooks);
  const refB = e.baseline && (await runImages(e.baseline, refPlan, hooks));
  emit.reference({
    ...LAB_REFERENCE,
    seed: p.seed,
    code: refPlan.codes[0],
    // Copies: the originals stay here to measure every cell against.
    qac: refQ.images.slice(),
    baseline: refB?.images.slice() ?? null,
  });
  const done = new Set<string>();
  for (const run of runs) {
    const key = `${run.solver}/${run.nfe}`;
    if (done.has(key)) continue;
    done.add(key);
    const plan = e.plan(labSettings(p, run));
    const q = await runImages(e.qac, plan, hooks);
    const b = e.baseline && (await runImages(e.baseline, plan, hooks));
    emit.cell({
      solver: run.solver,
      nfe: run.nfe,
      steps: plan.steps,
      seed: p.seed,
      qac: q.images,
      baseline: b?.images ?? null,
      errorQac: rmse(q.images, refQ.images),
      errorBaseline: b && refB ? rmse(b.images, refB.images) : null,
    });
  }
}
