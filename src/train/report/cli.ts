// npm run report -- [--models models] [--n 300] [--seed 0] [--batch 100] [--render-only]
//                   [--eval-model FOLDER | --pair ID] [--part grid|headline|both]
//                   [--yardstick classifier-FOLDER]
//                   [--headline-n 2000] [--headline-seeds 0,100000] [--resamples 200]
//                   [--sample-cache DIR] [--part samples]
// Evaluates the pairs in models/catalog.json and writes models/REPORT.md (see its header).
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { qualityText } from '../../runtime';
import { parseCatalog } from '../../runtime/catalog';
import { readManifest, readStoredJson } from './manifest-file';
import { modelsTable, withModelsTable } from './readme-models';
import { checkNodeEp, loadModelNode, type NodeEp } from '../../runtime/node';
import { epOption } from '../cli/ep-option';
import { intArg } from '../cli/options';
import { writeFileAtomic } from '../io/atomic';
import { gather, heldOutSplit, loadDataset, type ImageDataset } from '../data';
import { BOOTSTRAP_RESAMPLES, FeatureExtractor, SampleCache } from '../eval';
import { cardEvaluation, updateCard } from './card';
import { codeUsage } from './code-usage';
import { pairGridPng } from './grid';
import {
  evaluateHeadline,
  HEADLINE_N,
  HEADLINE_SEEDS,
  readHeadline,
  sampleHeadline,
} from './headline';
import { compareHeadline } from './headline-compare';
import { renderReport, solverLabel, type PairReport, type SecondYardstick } from './markdown';
import {
  EVAL_FILE,
  evalEnd,
  evaluateForReport,
  REPORT_END,
  REPORT_NFES,
  sampleGrid,
  type ModelEval,
} from './plan';
import { fidPlotPng } from './plot';
import { realReference, trainFloor } from './reference';
import { classifierDir, secondYardsticks } from './yardsticks';
import { exists } from '../../runtime/node/files';

const PARTS = ['grid', 'headline', 'both', 'samples'] as const;
type Part = (typeof PARTS)[number];

const seedList = (v: string): number[] => {
  const seeds = v.split(',').map((s) => intArg('--headline-seeds', 0)(s.trim()));
  if (new Set(seeds).size !== seeds.length)
    throw new InvalidArgumentError('--headline-seeds must not repeat a seed');
  return seeds;
};

const program = new Command('report')
  .description('Evaluate the catalog pairs (QAC vs baseline) and write models/REPORT.md.')
  .option('--models <dir>', 'models folder holding catalog.json', 'models')
  .option('--n <count>', 'generated images per grid setting', intArg('--n', 2), 300)
  .option('--seed <n>', 'grid: sample k uses seed + k', intArg('--seed', 0), 0)
  .option('--batch <n>', 'samples per denoiser call', intArg('--batch', 1), 100)
  .option('--render-only', 'rebuild REPORT.md from the stored evaluations', false)
  .option(
    '--eval-model <folder>',
    'only evaluate this model folder (under --models) and store its evaluation; run one per core, then --render-only',
  )
  .option(
    '--pair <id>',
    'evaluate only this catalog pair; the others are read from their stored files',
  )
  .addOption(
    new Option(
      '--part <part>',
      'which evaluation: the solver x NFE grid, the headline settings, both, or only the samples of both (into --sample-cache, no feature net needed)',
    )
      .choices(PARTS)
      .default('both'),
  )
  .option(
    '--headline-n <count>',
    'headline: samples per setting and seed',
    intArg('--headline-n', 2),
    HEADLINE_N,
  )
  .option('--headline-seeds <list>', 'headline: sampling seeds', seedList, [...HEADLINE_SEEDS])
  .option(
    '--resamples <count>',
    'headline: bootstrap replicates',
    intArg('--resamples', 10),
    BOOTSTRAP_RESAMPLES,
  )
  .option(
    '--sample-cache <dir>',
    'keep generated samples here and reuse them (keyed by model hashes and settings; reused only with the same --batch)',
  )
  .option(
    '--yardstick <folder>',
    "score the headline with this feature net (a classifier folder under --models) instead of the pair's own; stored as headline.<folder>.json (needs --eval-model and --part headline)",
  )
  .addOption(epOption());

interface Flags {
  models: string;
  n: number;
  seed: number;
  batch: number;
  renderOnly: boolean;
  evalModel?: string;
  pair?: string;
  part: Part;
  headlineN: number;
  headlineSeeds: number[];
  resamples: number;
  sampleCache?: string;
  yardstick?: string;
  ep: NodeEp;
}

/** The stored grid evaluation of a model folder, or null when it has none yet. */
const storedEval = (dir: string): Promise<ModelEval | null> =>
  // Written by this command from a ModelEval; only its being an object is checked on the way back.
  readStoredJson(
    join(dir, EVAL_FILE),
    z.custom<ModelEval>((v) => typeof v === 'object' && v !== null),
  );

async function evaluateFolder(root: string, folder: string, f: Flags): Promise<void> {
  const dir = join(root, folder);
  const model = await loadModelNode(dir, { ep: f.ep });
  const log = (line: string) => console.log(line);
  const cache = f.sampleCache ? new SampleCache(resolve(f.sampleCache)) : undefined;
  try {
    if (f.part === 'samples') {
      if (!cache) throw new Error('--part samples needs --sample-cache DIR to keep them in');
      await sampleHeadline(model, {
        n: f.headlineN,
        seeds: f.headlineSeeds,
        batch: f.batch,
        cache,
        log,
      });
      await sampleGrid(model, { n: f.n, seed: f.seed, batch: f.batch, cache, log });
      return;
    }
    const clf = await FeatureExtractor.load(
      f.yardstick ? join(root, f.yardstick) : classifierDir(root, model.manifest.dataset),
    );
    try {
      if (f.part !== 'headline')
        await evaluateForReport(dir, model, clf, {
          n: f.n,
          seed: f.seed,
          batch: f.batch,
          cache,
          log,
        });
      if (f.part !== 'grid')
        await evaluateHeadline(dir, model, clf, {
          n: f.headlineN,
          seeds: f.headlineSeeds,
          resamples: f.resamples,
          batch: f.batch,
          cache,
          log,
          yardstick: f.yardstick,
        });
    } finally {
      await clf.release();
    }
  } finally {
    await model.dispose();
  }
}

/** The second yardsticks of a dataset whose feature net is in models/. */
async function presentYardsticks(root: string, dataset: string): Promise<string[]> {
  const found: string[] = [];
  for (const y of secondYardsticks(dataset)) if (await exists(join(root, y))) found.push(y);
  return found;
}

/** A stored evaluation made with another classifier.onnx than today's is not comparable. */
function checkClassifier(what: string, stored: string | undefined, current: string): void {
  if (stored !== undefined && stored !== current)
    throw new Error(
      `${what} was made with another classifier than the one in models/ now; evaluate it again`,
    );
}

async function main(): Promise<void> {
  const f = program.parse().opts<Flags>();
  await checkNodeEp(f.ep);
  const root = resolve(f.models);
  if (f.yardstick && (!f.evalModel || f.part !== 'headline'))
    throw new Error(
      "--yardstick scores one model's headline: use it with --eval-model FOLDER --part headline",
    );
  if (f.evalModel) {
    await evaluateFolder(root, f.evalModel, f);
    return;
  }
  const catalogPath = join(root, 'catalog.json');
  const catalog = parseCatalog(await readFile(catalogPath, 'utf8'), catalogPath);
  if (f.pair && !catalog.pairs.some((p) => p.id === f.pair))
    throw new Error(
      `--pair ${f.pair}: not in ${catalogPath} (${catalog.pairs.map((p) => p.id).join(', ')})`,
    );
  const outDir = join(root, 'report');
  await mkdir(outDir, { recursive: true });
  const log = (line: string) => console.log(line);
  const pairs: PairReport[] = [];
  for (const pair of catalog.pairs) {
    const qacDir = join(root, pair.qac);
    const baseDir = join(root, pair.baseline);
    if (!f.renderOnly && (!f.pair || f.pair === pair.id)) {
      await evaluateFolder(root, pair.qac, f);
      await evaluateFolder(root, pair.baseline, f);
      if (f.part === 'headline' || f.part === 'both') {
        const dataset = (await readManifest(qacDir)).dataset;
        for (const yardstick of await presentYardsticks(root, dataset))
          for (const folder of [pair.qac, pair.baseline])
            await evaluateFolder(root, folder, { ...f, part: 'headline', yardstick });
      }
    }
    if (f.part === 'samples') continue;
    const qac = await loadModelNode(qacDir, { ep: f.ep });
    const base = await loadModelNode(baseDir, { ep: f.ep });
    const clf = await FeatureExtractor.load(classifierDir(root, qac.manifest.dataset));
    try {
      const cfg = qac.manifest.training.config as { dataset: string; dataDir?: string };
      const evals = [await storedEval(qacDir), await storedEval(baseDir)] as const;
      const headlines = [await readHeadline(qacDir), await readHeadline(baseDir)] as const;
      const sha = clf.info!.sha256;
      evals.forEach(
        (e) => e && checkClassifier(`${e.model}/${EVAL_FILE}`, e.classifierSha256, sha),
      );
      headlines.forEach(
        (h) => h && checkClassifier(`${h.model}/headline.json`, h.classifierSha256, sha),
      );
      const headline =
        headlines[0] && headlines[1] ? compareHeadline(headlines[0], headlines[1]) : null;
      const grid = evals[0] && evals[1] ? ([evals[0], evals[1]] as const) : null;
      const gridRun = {
        solver: 'ipndm',
        afs: true,
        end: evals[0] ? evalEnd(evals[0]) : REPORT_END,
      } as const;
      const entry: PairReport = {
        id: pair.id,
        label: pair.label,
        qac: {
          folder: pair.qac,
          manifest: qac.manifest,
          eval: evals[0],
          headline: headlines[0],
          usage: null,
        },
        baseline: {
          folder: pair.baseline,
          manifest: base.manifest,
          eval: evals[1],
          headline: headlines[1],
        },
        classifier: clf.info!,
        headline,
        reference: null,
        plot: null,
        grid: null,
        gridSolver: solverLabel(gridRun),
        second: [],
      };
      if (!headline && !grid) {
        // Nothing of this pair is evaluated yet: its section says so, and its cards stay as they are.
        log(`${pair.id}: no stored evaluation yet`);
        pairs.push(entry);
        continue;
      }
      const ds = await loadDataset(cfg.dataset, { dataDir: cfg.dataDir });
      const { heldOut } = heldOutSplit(ds);
      const usage = await codeUsage(qac, gather(ds, heldOut).images, heldOut.length);
      log(`${pair.qac} code usage: ${JSON.stringify(usage)}`);
      const reference = await realReference(ds, clf, headline?.n ?? HEADLINE_N);
      log(`${pair.id} real-data reference: ${JSON.stringify(reference)}`);
      if (grid) {
        entry.plot = `report/fid-${pair.id}.png`;
        const points = grid.flatMap((e) =>
          e.settings.map((s) => ({
            solver: solverLabel(s),
            kind: e.kind as 'qac' | 'baseline',
            nfe: s.nfe,
            fidProxy: s.fidProxy,
          })),
        );
        await writeFileAtomic(
          join(root, entry.plot),
          await fidPlotPng(`${pair.label}: QAC vs baseline`, points),
        );
      }
      entry.grid = `report/samples-${pair.id}.png`;
      await writeFileAtomic(
        join(root, entry.grid),
        await pairGridPng(qac, base, {
          ...gridRun,
          nfes: REPORT_NFES,
          count: 10,
          seed: evals[0]?.seed ?? 0,
        }),
      );
      const cards = [
        { dir: qacDir, m: qac.manifest, e: evals[0], h: headlines[0], usage },
        { dir: baseDir, m: base.manifest, e: evals[1], h: headlines[1], usage: null },
      ];
      // Both grids normally have the same n: one pass of the held-out split through the net.
      const floors = new Map<number, number>();
      const floorAt = async (n: number) =>
        floors.get(n) ?? floors.set(n, (await trainFloor(ds, clf, n)).fidProxy).get(n)!;
      for (const { dir, m, e, h, usage: u } of cards) {
        const floor = e ? await floorAt(e.n) : undefined;
        const quality = m.evaluation
          ? qualityText({ evaluation: { ...m.evaluation, floor } })
          : null;
        await updateCard(dir, cardEvaluation(e, u, h, quality), ds.source, floor);
      }
      entry.qac = { ...entry.qac, manifest: await readManifest(qacDir), usage };
      entry.baseline = { ...entry.baseline, manifest: await readManifest(baseDir) };
      entry.reference = reference;
      entry.second = await secondYardstickReports(
        root,
        qacDir,
        baseDir,
        ds,
        qac.manifest.dataset,
        log,
      );
      pairs.push(entry);
    } finally {
      await clf.release();
      await qac.dispose();
      await base.dispose();
    }
  }
  if (f.part === 'samples') return;
  const notes = await readFile(join(outDir, 'notes.md'), 'utf8').catch(() => '');
  await writeFileAtomic(join(root, 'REPORT.md'), Buffer.from(renderReport(pairs, notes)));
  log(`wrote ${join(root, 'REPORT.md')}`);
  await updateReadme(join(root, '..', 'README.md'), root, log);
}

/** Each second yardstick that scored both models' headline, compared and set against real data. */
async function secondYardstickReports(
  root: string,
  qacDir: string,
  baseDir: string,
  ds: ImageDataset,
  dataset: string,
  log: (line: string) => void,
): Promise<SecondYardstick[]> {
  const out: SecondYardstick[] = [];
  for (const yardstick of await presentYardsticks(root, dataset)) {
    const [hq, hb] = [
      await readHeadline(qacDir, yardstick),
      await readHeadline(baseDir, yardstick),
    ];
    if (!hq || !hb) {
      log(`${yardstick}: not scored on both models yet`);
      continue;
    }
    const clf = await FeatureExtractor.load(join(root, yardstick));
    try {
      const sha = clf.info!.sha256;
      for (const h of [hq, hb])
        checkClassifier(`${h.model}/headline.${yardstick}.json`, h.classifierSha256, sha);
      const headline = compareHeadline(hq, hb);
      const reference = await realReference(ds, clf, headline.n);
      log(`${yardstick} real-data reference: ${JSON.stringify(reference)}`);
      out.push({ folder: yardstick, classifier: clf.info!, headline, reference });
    } finally {
      await clf.release();
    }
  }
  return out;
}

/** The README beside the models folder, if it has the models table, gets it rewritten. */
async function updateReadme(path: string, root: string, log: (line: string) => void) {
  const readme = await readFile(path, 'utf8').catch(() => null);
  if (readme === null) return;
  const next = withModelsTable(readme, await modelsTable(root));
  if (next === readme) return;
  await writeFileAtomic(path, Buffer.from(next));
  log(`wrote the models table of ${path}`);
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
