import { join } from 'node:path';
import { z } from 'zod';
import { readStoredJson } from './manifest-file';
import type { SolverName } from '../../core';
import type { LoadedModel } from '../../runtime';
import {
  bootstrapCounts,
  BOOTSTRAP_SEED,
  FrechetReference,
  generateSamples,
  referenceGaussian,
  sampleFeatures,
  stratifiedCounts,
  type FeatureExtractor,
  type SampleCache,
} from '../eval';
import { writeFileAtomic } from '../io/atomic';
import { REPORT_END } from './plan';

/**
 * The headline settings of issue 12: few-step samplers at NFE 4 and 6. The target figure is the
 * geometric mean of the QAC/baseline FID-proxy ratio over these.
 */
export const HEADLINE_RUNS: readonly HeadlineRun[] = [
  { solver: 'dpmpp-2m', afs: false, nfe: 4, target: true },
  { solver: 'dpmpp-2m', afs: false, nfe: 6, target: true },
  { solver: 'euler', afs: false, nfe: 4, target: true },
  { solver: 'ipndm', afs: true, nfe: 4, target: true },
  { solver: 'ipndm', afs: true, nfe: 6, target: true },
  // Near convergence, to set against real data at the same n; not part of the target.
  { solver: 'dpmpp-2m', afs: false, nfe: 10, target: false },
];
export const HEADLINE_N = 2000;
/** Far enough apart that the two seeds' sample streams (seed + k) never overlap at this n. */
export const HEADLINE_SEEDS = [0, 100_000] as const;

export interface HeadlineRun {
  solver: SolverName;
  afs: boolean;
  nfe: number;
  target: boolean;
}

const HEADLINE_FILE = 'headline.json';

/**
 * Where a model's headline scored by `yardstick` (a feature-net folder) is kept: the pair's own
 * feature net writes headline.json, a second yardstick headline.<folder>.json beside it.
 */
const headlineFile = (yardstick?: string) =>
  yardstick ? `headline.${yardstick}.json` : HEADLINE_FILE;

const replicates = z.array(z.number());
const settingSchema = z.object({
  solver: z.string().min(1),
  afs: z.boolean(),
  nfe: z.number().int().positive(),
  target: z.boolean(),
  seeds: z.array(
    z.object({
      seed: z.number().int().nonnegative(),
      fidProxy: z.number(),
      curvature: z.number(),
      seconds: z.number(),
      bootstrap: replicates,
    }),
  ),
  /** All seeds' samples together, each seed's block resampled within itself. */
  pooled: z.object({ fidProxy: z.number(), bootstrap: replicates }),
});

/** headline.json beside a model's manifest: FID proxies of the headline settings and their bootstrap replicates. */
const headlineSchema = z.object({
  format: z.literal('qac-playground-headline'),
  version: z.literal(1),
  model: z.string(),
  kind: z.string(),
  classifier: z.string(),
  classifierSha256: z.string(),
  end: z.enum(['zero', 'sigmaMin']),
  /** Samples per seed and setting. */
  n: z.number().int().positive(),
  seeds: z.array(z.number().int().nonnegative()).min(1),
  resamples: z.number().int().positive(),
  bootstrapSeed: z.number().int(),
  settings: z.array(settingSchema),
});
export type HeadlineEval = z.infer<typeof headlineSchema>;
export type HeadlineSetting = z.infer<typeof settingSchema>;

/** Six significant digits: the replicates are only used for ratios and percentiles. */
const round6 = (x: number) => Number(x.toPrecision(6));

/** Distinct seeds whose sample streams (seed + k, k < n) do not overlap. */
function checkSeeds(list: readonly number[], n: number): number[] {
  const seeds = [...list];
  if (new Set(seeds).size !== seeds.length) throw new Error(`headline: seeds repeat (${seeds})`);
  const sorted = [...seeds].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]! - sorted[i - 1]! < n)
      throw new Error(
        `headline: seeds ${sorted[i - 1]} and ${sorted[i]} are closer than n = ${n}, so their samples would overlap`,
      );
  return seeds;
}

const sampleRun = (run: HeadlineRun, opts: { n: number; batch: number }, seed: number) => ({
  solver: run.solver,
  nfe: run.nfe,
  afs: run.afs,
  n: opts.n,
  seed,
  batch: opts.batch,
  end: REPORT_END,
});

/**
 * Generates every headline sample set into the cache without a feature net: the denoiser calls
 * can run while the classifier is still training, and evaluateHeadline then reads them back.
 */
export async function sampleHeadline(
  model: LoadedModel,
  opts: {
    n: number;
    seeds: readonly number[];
    batch: number;
    cache: SampleCache;
    log: (line: string) => void;
  },
): Promise<void> {
  const seeds = checkSeeds(opts.seeds, opts.n);
  for (const run of HEADLINE_RUNS) {
    for (const seed of seeds) {
      const set = await generateSamples(model, sampleRun(run, opts, seed), opts.cache);
      opts.log(
        `${model.manifest.name} ${run.solver}${run.afs ? '+AFS' : ''} NFE ${run.nfe} seed ${seed}: ${opts.n} samples in ${opts.cache.dir} (${set.seconds.toFixed(0)} s)`,
      );
    }
  }
}

/**
 * Samples every headline setting with every seed, computes the FID proxy against the held-out
 * split and `resamples` bootstrap replicates (per seed, and for the seeds pooled), and writes
 * headline.json into `dir`.
 */
export async function evaluateHeadline(
  dir: string,
  model: LoadedModel,
  clf: FeatureExtractor,
  opts: {
    n: number;
    seeds: readonly number[];
    resamples: number;
    batch: number;
    /** Where generated images are kept between runs (see SampleCache). */
    cache?: SampleCache;
    log: (line: string) => void;
    /** A second yardstick's folder name: the result goes to headlineFile(yardstick). */
    yardstick?: string;
  },
): Promise<HeadlineEval> {
  if (!clf.info) throw new Error('headline: the classifier has no classifier.json (name, sha256)');
  const seeds = checkSeeds(opts.seeds, opts.n);
  const ref = new FrechetReference((await referenceGaussian(model, clf)).gaussian);
  const dim = clf.featureDim;
  const range = (k: number) => Array.from({ length: k }, (_, r) => r);
  const settings: HeadlineSetting[] = [];
  for (const run of HEADLINE_RUNS) {
    const perSeed: HeadlineSetting['seeds'] = [];
    const pooled = new Float32Array(seeds.length * opts.n * dim);
    for (const [i, seed] of seeds.entries()) {
      const got = await sampleFeatures(model, clf, sampleRun(run, opts, seed), opts.cache);
      pooled.set(got.features, i * opts.n * dim);
      const prepared = ref.prepare(got.features, opts.n, dim);
      const fidProxy = prepared.distance();
      const bootstrap = range(opts.resamples).map((r) =>
        round6(prepared.distance(bootstrapCounts(opts.n, r, seed))),
      );
      perSeed.push({ seed, fidProxy, curvature: got.curvature, seconds: got.seconds, bootstrap });
      opts.log(
        `${model.manifest.name} ${run.solver}${run.afs ? '+AFS' : ''} NFE ${run.nfe} seed ${seed}: FID proxy ${fidProxy.toFixed(2)} (${got.seconds.toFixed(0)} s sampling)`,
      );
    }
    const prepared = ref.prepare(pooled, seeds.length * opts.n, dim);
    const blocks = seeds.map((seed) => ({ size: opts.n, block: seed }));
    settings.push({
      ...run,
      seeds: perSeed,
      pooled: {
        fidProxy: prepared.distance(),
        bootstrap: range(opts.resamples).map((r) =>
          round6(prepared.distance(stratifiedCounts(blocks, r))),
        ),
      },
    });
  }
  const result: HeadlineEval = {
    format: 'qac-playground-headline',
    version: 1,
    model: model.manifest.name,
    kind: model.manifest.kind,
    classifier: clf.info.name,
    classifierSha256: clf.info.sha256,
    end: REPORT_END,
    n: opts.n,
    seeds,
    resamples: opts.resamples,
    bootstrapSeed: BOOTSTRAP_SEED,
    settings,
  };
  await writeFileAtomic(
    join(dir, headlineFile(opts.yardstick)),
    Buffer.from(JSON.stringify(result) + '\n'),
  );
  return result;
}

/** The stored headline evaluation of a model folder (by `yardstick`), or null when it has none. */
export function readHeadline(dir: string, yardstick?: string): Promise<HeadlineEval | null> {
  return readStoredJson(join(dir, headlineFile(yardstick)), headlineSchema);
}
