import { join } from 'node:path';
import type { GridEnd, SolverName } from '../../core';
import type { LoadedModel } from '../../runtime';
import { resolveModelPath } from '../../runtime/node';
import {
  evaluate,
  generateSamples,
  honestNfe,
  toSolverResults,
  writeEvaluation,
  type EvalSetting,
  type FeatureExtractor,
  type CodeSource,
  type SampleCache,
} from '../eval';
import { writeFileAtomic } from '../io/atomic';

/** The NFEs of the report's tables (issue 6), the same for every solver. */
export const REPORT_NFES = [3, 4, 5, 6, 8, 10, 20, 35] as const;

/**
 * The report's grid convention: N steps over N + 1 Karras levels ending at sigma_min, the sample
 * taken there (zju-pi/diff-sampler, whose iPNDM+AFS the paper's few-step numbers use). The EDM
 * convention ('zero') spends one of the N calls on the step sigma_min -> 0, a third of the budget
 * at NFE 3, so at equal NFE it is the 'sigmaMin' grid of one step fewer.
 */
export const REPORT_END: GridEnd = 'sigmaMin';

/** Solver runs of the report: the paper's fast sampler with AFS, then the common ones without. */
const REPORT_RUNS: readonly { solver: SolverName; afs: boolean }[] = [
  { solver: 'ipndm', afs: true },
  { solver: 'heun', afs: false },
  { solver: 'euler', afs: false },
  { solver: 'dpmpp-2m', afs: false },
];

export interface ModelEval {
  model: string;
  kind: string;
  n: number;
  seed: number;
  /** Absent in evaluations stored before the convention was recorded: read it with evalEnd. */
  end?: GridEnd;
  classifier: string;
  /** The classifier.onnx the features came from; absent in evaluations stored before it was recorded. */
  classifierSha256?: string;
  /** Absent: codes drawn from the sampling weights (the only source a model folder records). */
  codes?: CodeSource;
  settings: EvalSetting[];
}

/** The grid an evaluation used; those stored before it was recorded used 'zero'. */
export const evalEnd = (e: Pick<ModelEval, 'end'>): GridEnd => e.end ?? 'zero';

/** The file beside each manifest that holds the report's evaluation of that model. */
export const EVAL_FILE = 'eval.json';

/**
 * Evaluates one model over REPORT_RUNS x REPORT_NFES (same seeds for every model, so a pair
 * shares its noise), then writes eval.json and the manifest's evaluation.
 */
export async function evaluateForReport(
  path: string,
  model: LoadedModel,
  clf: FeatureExtractor,
  opts: {
    n: number;
    seed: number;
    batch: number;
    cache?: SampleCache;
    log: (line: string) => void;
  },
): Promise<ModelEval> {
  const settings: EvalSetting[] = [];
  for (const afs of [true, false]) {
    const solvers = REPORT_RUNS.filter((r) => r.afs === afs).map((r) => r.solver);
    if (solvers.length === 0) continue;
    const got = await evaluate(model, clf, {
      solvers,
      nfes: [...REPORT_NFES],
      afs,
      end: REPORT_END,
      n: opts.n,
      seed: opts.seed,
      batch: opts.batch,
      cache: opts.cache,
      onSetting: (s) =>
        opts.log(
          `${model.manifest.name} ${s.solver}${s.afs ? '+AFS' : ''} NFE ${s.nfe}: FID proxy ${s.fidProxy.toFixed(2)}, curvature ${s.curvature.toFixed(4)} (${s.seconds.toFixed(0)} s)`,
        ),
    });
    settings.push(...got);
  }
  const classifier = clf.info?.name ?? 'classifier';
  const result: ModelEval = {
    model: model.manifest.name,
    kind: model.manifest.kind,
    n: opts.n,
    seed: opts.seed,
    end: REPORT_END,
    classifier,
    ...(clf.info && { classifierSha256: clf.info.sha256 }),
    settings,
  };
  await storeModelEval(result, path, (await resolveModelPath(path)).dir);
  return result;
}

/**
 * Generates the grid's samples into the cache without a feature net (see sampleHeadline); the
 * grid evaluation then reads them back when run with the same n, seed, batch and cache.
 */
export async function sampleGrid(
  model: LoadedModel,
  opts: { n: number; seed: number; batch: number; cache: SampleCache; log: (line: string) => void },
): Promise<void> {
  for (const { solver, afs } of REPORT_RUNS) {
    for (const requested of REPORT_NFES) {
      const nfe = honestNfe(solver, requested, afs);
      const run = {
        solver,
        nfe,
        afs,
        n: opts.n,
        seed: opts.seed,
        batch: opts.batch,
        end: REPORT_END,
      };
      const set = await generateSamples(model, run, opts.cache);
      opts.log(
        `${model.manifest.name} ${solver}${afs ? '+AFS' : ''} NFE ${nfe}: ${opts.n} samples (${set.seconds.toFixed(0)} s)`,
      );
    }
  }
}

/** Writes an evaluation as `dir`/eval.json and nothing else (eval --out without --update-model). */
export async function writeEvalFile(e: ModelEval, dir: string): Promise<void> {
  await writeFileAtomic(join(dir, EVAL_FILE), Buffer.from(JSON.stringify(e, null, 2) + '\n'));
}

/** Writes an evaluation as `evalDir`/eval.json and as the evaluation of the model at `path`. */
export async function storeModelEval(e: ModelEval, path: string, evalDir: string): Promise<void> {
  await writeEvalFile(e, evalDir);
  await writeEvaluation(path, {
    samples: e.n,
    classifier: e.classifier,
    seed: e.seed,
    results: toSolverResults(e.settings),
  });
}
