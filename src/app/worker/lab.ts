import { solverFacts, type RunSettings } from '../../core';
import type { PairRun } from '../../runtime/sample';
import type { LabCell, LabParams, LabReference, LabRun } from './protocol';

/**
 * The reference every lab cell is measured against: DPM-Solver++(2M) at NFE 100 on the lab's own
 * grid end, so that as the NFE grows each deterministic solver converges to it rather than to an
 * answer that differs by where the grid stops. No AFS: it stands in for the first call, which a
 * converged run should not.
 */
const LAB_REFERENCE: LabRun = { solver: 'dpmpp-2m', nfe: 100 };

/** RMSE between two images in the models' [-1, 1] pixel units. */
export function rmse(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / a.length);
}

/** The run settings of one lab run: sample 0 alone, AFS only where the solver takes it. */
function labSettings(p: LabParams, run: LabRun, afs = p.afs): RunSettings {
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

/**
 * Runs the reference, then every run once (whatever order, repeats skipped), calling back as each
 * finishes so the page fills the grid progressively. `sample` runs settings on the pair (the
 * baseline is null when a QAC model was loaded alone: the cells then hold QAC only). Every plan
 * has batch 1 and the lab's seed, so all of them start from one x_T under one code.
 */
export async function runLab(
  sample: (s: RunSettings) => Promise<PairRun>,
  p: LabParams,
  runs: readonly LabRun[],
  emit: {
    reference: (r: LabReference) => void;
    cell: (c: LabCell) => void;
  },
): Promise<void> {
  const ref = await sample(labSettings(p, LAB_REFERENCE, false));
  const refQ = ref.qac.x;
  const refB = ref.baseline?.x ?? null;
  emit.reference({
    ...LAB_REFERENCE,
    seed: p.seed,
    code: ref.plan.codes[0],
    // Copies: the originals stay here to measure every cell against.
    qac: refQ.slice(),
    baseline: refB?.slice() ?? null,
  });
  const done = new Set<string>();
  for (const run of runs) {
    const key = `${run.solver}/${run.nfe}`;
    if (done.has(key)) continue;
    done.add(key);
    const r = await sample(labSettings(p, run));
    const q = r.qac.x;
    const b = r.baseline?.x ?? null;
    emit.cell({
      solver: run.solver,
      nfe: run.nfe,
      steps: r.plan.steps,
      seed: p.seed,
      qac: q,
      baseline: b,
      errorQac: rmse(q, refQ),
      errorBaseline: b && refB ? rmse(b, refB) : null,
    });
  }
}
