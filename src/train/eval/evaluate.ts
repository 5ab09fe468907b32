import {
  type GridEnd,
  snapNfe,
  trajectoryCurvature,
  type SolverName,
  type TrajectoryStep,
} from '../../core';
import type { LoadedModel, SolverResult } from '../../runtime';
import { sampleModel } from '../../runtime/sample';
import { gather, heldOutSplit, loadDataset } from '../data';
import { attributeShares, type AttributeShare } from './attributes';
import type { FeatureExtractor } from './classifier';
import { frechetDistance, gaussianOf } from './frechet';
import type { SampleCache, SampleRun, SampleSet } from './sample-cache';
import { trainImageCodes, type CodeSource } from './data-codes';

export interface EvalSetting {
  solver: SolverName;
  /** What was asked for. */
  requestedNfe: number;
  /** What was spent: the nearest NFE the solver can hit exactly (Heun: odd only). */
  nfe: number;
  afs: boolean;
  fidProxy: number;
  /** How often the samples show each attribute, when the feature net names attributes. */
  attributes?: AttributeShare[];
  /** Mean over samples of the delta-sigma weighted relative curvature (docs/math.md §7). */
  curvature: number;
  seconds: number;
  note?: string;
}

/** The NFE actually spent for a request: itself when reachable, else the nearest reachable (lower on ties). */
export function honestNfe(solver: SolverName, nfe: number, afs: boolean): number {
  return snapNfe(solver, afs, nfe, nfe + 2);
}

export interface EvalOptions {
  solvers: SolverName[];
  nfes: number[];
  afs: boolean;
  n: number;
  seed: number;
  batch: number;
  /** Grid convention (docs/math.md §4); default 'zero'. */
  end?: GridEnd;
  /** Where generated images are kept between runs (see SampleCache). */
  cache?: SampleCache;
  /** QAC only; default 'weights'. */
  codes?: CodeSource;
  onSetting?: (s: EvalSetting) => void;
  /** The held-out split's attribute shares, when the feature net names attributes. */
  onReference?: (shares: AttributeShare[]) => void;
}

const sharesOf = (clf: FeatureExtractor, logits: Float32Array, n: number) =>
  clf.attributes.length ? attributeShares(logits, n, clf.attributes) : undefined;

/** Features of the held-out split of the model's dataset: the reference Gaussian. */
export async function referenceGaussian(model: LoadedModel, clf: FeatureExtractor) {
  const cfg = model.manifest.training.config as { dataset: string; dataDir?: string };
  const ds = await loadDataset(cfg.dataset, { dataDir: cfg.dataDir });
  const { heldOut } = heldOutSplit(ds);
  const { images } = gather(ds, heldOut);
  const { features, logits } = await clf.run(images, heldOut.length);
  return {
    gaussian: gaussianOf(features, heldOut.length, clf.featureDim),
    count: heldOut.length,
    attributes: sharesOf(clf, logits, heldOut.length),
  };
}

export interface SampledFeatures {
  /** Classifier features of the n samples (clamped to [-1, 1]), [n, F]. */
  features: Float32Array;
  /** The classifier's logits of the samples, [n, K]. */
  logits: Float32Array;
  /** Mean over samples of the delta-sigma weighted relative curvature (docs/math.md §7). */
  curvature: number;
  seconds: number;
}

/**
 * n samples of one setting through the runtime's denoiser and core's solvers (codes drawn from
 * the sampling weights, or sample k takes training image k's code when run.codes asks; sample k
 * seeded by seed + k for both model kinds), clamped to [-1, 1];
 * read from `cache` when it holds them, and stored there when it does not.
 */
export async function generateSamples(
  model: LoadedModel,
  run: SampleRun,
  cache?: SampleCache,
): Promise<SampleSet> {
  const hit = await cache?.get(model, run);
  if (hit) return hit;
  const t0 = performance.now();
  const d = model.codeBits;
  const signs = run.codes === 'train-images' ? await trainImageCodes(model, run.n) : null;
  const samples = new Float32Array(run.n * model.imageSize);
  let curvatureSum = 0;
  for (let start = 0; start < run.n; start += run.batch) {
    const b = Math.min(run.batch, run.n - start);
    const steps: TrajectoryStep[] = [];
    const res = await sampleModel(model, {
      solver: run.solver,
      nfe: run.nfe,
      afs: run.afs,
      seed: run.seed + start,
      batch: b,
      end: run.end,
      ...(signs && { codeSigns: signs.subarray(start * d, (start + b) * d) }),
      onStep: (s) => steps.push({ sigma: s.sigma, sigmaNext: s.sigmaNext, d: s.d }),
    });
    samples.set(res.x, start * model.imageSize);
    const c = trajectoryCurvature(steps, res.xT, res.x, b);
    curvatureSum += c.meanRelative.reduce((a, v) => a + v, 0);
  }
  for (let i = 0; i < samples.length; i++) samples[i] = Math.min(1, Math.max(-1, samples[i]!));
  const set = {
    samples,
    curvature: curvatureSum / run.n,
    seconds: (performance.now() - t0) / 1000,
  };
  await cache?.put(model, run, set);
  return set;
}

/** generateSamples, then the classifier's features of the samples. */
export async function sampleFeatures(
  model: LoadedModel,
  clf: FeatureExtractor,
  run: SampleRun,
  cache?: SampleCache,
): Promise<SampledFeatures> {
  const set = await generateSamples(model, run, cache);
  const { features, logits } = await clf.run(set.samples, run.n);
  return { features, logits, curvature: set.curvature, seconds: set.seconds };
}

/**
 * For every solver x NFE: n samples (see sampleFeatures), the FID proxy against the held-out
 * features and the mean trajectory curvature.
 */
export async function evaluate(
  model: LoadedModel,
  clf: FeatureExtractor,
  opts: EvalOptions,
): Promise<EvalSetting[]> {
  const reference = await referenceGaussian(model, clf);
  const ref = reference.gaussian;
  if (reference.attributes) opts.onReference?.(reference.attributes);
  const out: EvalSetting[] = [];
  for (const solver of opts.solvers) {
    for (const requestedNfe of opts.nfes) {
      const nfe = honestNfe(solver, requestedNfe, opts.afs);
      const got = await sampleFeatures(
        model,
        clf,
        {
          solver,
          nfe,
          afs: opts.afs,
          n: opts.n,
          seed: opts.seed,
          batch: opts.batch,
          end: opts.end,
          ...(opts.codes === 'train-images' && { codes: opts.codes }),
        },
        opts.cache,
      );
      const setting: EvalSetting = {
        solver,
        requestedNfe,
        nfe,
        afs: opts.afs,
        fidProxy: frechetDistance(gaussianOf(got.features, opts.n, clf.featureDim), ref),
        ...(clf.attributes.length > 0 && { attributes: sharesOf(clf, got.logits, opts.n) }),
        curvature: got.curvature,
        seconds: got.seconds,
        ...(nfe !== requestedNfe && {
          note: `${solver} cannot spend exactly ${requestedNfe} NFE${opts.afs ? ' with AFS' : ''}; ran ${nfe}`,
        }),
      };
      opts.onSetting?.(setting);
      out.push(setting);
    }
  }
  return out;
}

/** The manifest's evaluation entries. */
export const toSolverResults = (settings: readonly EvalSetting[]): SolverResult[] =>
  settings.map((s) => ({
    solver: s.solver,
    nfe: s.nfe,
    afs: s.afs,
    fidProxy: s.fidProxy,
    curvature: s.curvature,
  }));

/** "glasses 21%, happy 58%": the share of images showing each attribute's second value. */
export const sharesText = (shares: readonly AttributeShare[]): string =>
  shares.map((a) => `${a.value} ${(100 * a.share).toFixed(1)}%`).join(', ');

/** A markdown table of the settings. */
export function markdownTable(
  name: string,
  settings: readonly EvalSetting[],
  n: number,
  classifier: string,
  codes: CodeSource = 'weights',
): string {
  const withShares = settings.some((s) => s.attributes);
  const rows = settings.map(
    (s) =>
      `| ${s.solver} | ${s.nfe}${s.nfe !== s.requestedNfe ? ` (asked ${s.requestedNfe})` : ''} | ${s.afs ? 'yes' : 'no'} | ${s.fidProxy.toFixed(2)} | ${s.curvature.toFixed(4)} |` +
      (withShares ? ` ${s.attributes ? sharesText(s.attributes) : '-'} |` : ''),
  );
  return [
    `# Evaluation of ${name}`,
    '',
    `${n} samples per setting${codes === 'train-images' ? ' (QAC codes: sample k takes the code of training image k, not a draw from the sampling weights)' : ''}; FID proxy on the features of ${classifier} against the held-out split; curvature = mean delta-sigma weighted ||d_i - u||^2 / ||u||^2.`,
    '',
    '| solver | NFE | AFS | FID proxy | curvature |' + (withShares ? ' attribute shares |' : ''),
    '| --- | --- | --- | --- | --- |' + (withShares ? ' --- |' : ''),
    ...rows,
    '',
  ].join('\n');
}
