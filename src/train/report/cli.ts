// npm run report -- [--models models] [--n 300] [--seed 0] [--batch 100] [--render-only]
// Evaluates every pair in models/catalog.json and writes models/REPORT.md (see its header).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseCatalog } from '../../app/catalog/schema';
import { manifestSchema, type Manifest } from '../../runtime';
import { loadModelNode } from '../../runtime/node';
import { intArg } from '../cli/options';
import { gather, heldOutSplit, loadDataset } from '../data';
import { FeatureExtractor } from '../eval';
import { cardEvaluation, updateCard } from './card';
import { codeUsage } from './code-usage';
import { pairGridPng } from './grid';
import { renderReport, solverLabel, type PairReport } from './markdown';
import { EVAL_FILE, evalEnd, evaluateForReport, REPORT_NFES, type ModelEval } from './plan';
import { fidPlotPng } from './plot';

const program = new Command('report')
  .description('Evaluate the catalog pairs (QAC vs baseline) and write models/REPORT.md.')
  .option('--models <dir>', 'models folder holding catalog.json', 'models')
  .option('--n <count>', 'generated images per setting', intArg('--n', 2), 300)
  .option('--seed <n>', 'sample k uses seed + k', intArg('--seed', 0), 0)
  .option('--batch <n>', 'samples per denoiser call', intArg('--batch', 1), 100)
  .option('--render-only', 'rebuild REPORT.md from the stored eval.json files', false)
  .option(
    '--eval-model <folder>',
    'only evaluate this model folder (under --models) and store its eval.json; run one per core, then --render-only',
  );

interface Flags {
  models: string;
  n: number;
  seed: number;
  batch: number;
  renderOnly: boolean;
  evalModel?: string;
}

async function storedEval(dir: string): Promise<ModelEval> {
  const path = join(dir, EVAL_FILE);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelEval;
  } catch (e) {
    throw new Error(
      `${path}: no stored evaluation (${(e as Error).message}); run without --render-only`,
      {
        cause: e,
      },
    );
  }
}

/** The manifest as it is on disk now (the evaluation and card entry were just rewritten). */
async function readManifest(dir: string): Promise<Manifest> {
  return manifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
}

async function evaluateFolder(root: string, folder: string, f: Flags): Promise<ModelEval> {
  const dir = join(root, folder);
  const model = await loadModelNode(dir);
  try {
    const clf = await FeatureExtractor.load(join(root, `classifier-${model.manifest.dataset}`));
    try {
      return await evaluateForReport(dir, model, clf, {
        n: f.n,
        seed: f.seed,
        batch: f.batch,
        log: (line) => console.log(line),
      });
    } finally {
      await clf.release();
    }
  } finally {
    await model.dispose();
  }
}

async function main(): Promise<void> {
  const f = program.parse().opts<Flags>();
  const root = resolve(f.models);
  if (f.evalModel) {
    await evaluateFolder(root, f.evalModel, f);
    return;
  }
  const catalogPath = join(root, 'catalog.json');
  const catalog = parseCatalog(await readFile(catalogPath, 'utf8'), catalogPath);
  const outDir = join(root, 'report');
  await mkdir(outDir, { recursive: true });
  const log = (line: string) => console.log(line);
  const pairs: PairReport[] = [];
  for (const pair of catalog.pairs) {
    const qacDir = join(root, pair.qac);
    const baseDir = join(root, pair.baseline);
    const qac = await loadModelNode(qacDir);
    const base = await loadModelNode(baseDir);
    try {
      const cfg = qac.manifest.training.config as { dataset: string; dataDir?: string };
      const evals: [ModelEval, ModelEval] = f.renderOnly
        ? [await storedEval(qacDir), await storedEval(baseDir)]
        : [await evaluateFolder(root, pair.qac, f), await evaluateFolder(root, pair.baseline, f)];
      const ds = await loadDataset(cfg.dataset, { dataDir: cfg.dataDir });
      const { heldOut } = heldOutSplit(ds);
      const usage = await codeUsage(qac, gather(ds, heldOut).images, heldOut.length);
      log(`${pair.qac} code usage: ${JSON.stringify(usage)}`);
      const plot = `report/fid-${pair.id}.png`;
      const points = evals.flatMap((e) =>
        e.settings.map((s) => ({
          solver: solverLabel(s),
          kind: e.kind as 'qac' | 'baseline',
          nfe: s.nfe,
          fidProxy: s.fidProxy,
        })),
      );
      await writeFile(join(root, plot), await fidPlotPng(`${pair.label}: QAC vs baseline`, points));
      const grid = `report/samples-${pair.id}.png`;
      const gridRun = { solver: 'ipndm', afs: true, end: evalEnd(evals[0]) } as const;
      await writeFile(
        join(root, grid),
        await pairGridPng(qac, base, { ...gridRun, nfes: REPORT_NFES, count: 10, seed: f.seed }),
      );
      await updateCard(qacDir, cardEvaluation(evals[0], usage));
      await updateCard(baseDir, cardEvaluation(evals[1], null));
      pairs.push({
        id: pair.id,
        label: pair.label,
        qac: { folder: pair.qac, manifest: await readManifest(qacDir), eval: evals[0], usage },
        baseline: { folder: pair.baseline, manifest: await readManifest(baseDir), eval: evals[1] },
        plot,
        grid,
        gridSolver: solverLabel(gridRun),
      });
    } finally {
      await qac.dispose();
      await base.dispose();
    }
  }
  const notes = await readFile(join(outDir, 'notes.md'), 'utf8').catch(() => '');
  const seed = f.seed ? ` --seed ${f.seed}` : '';
  const ns = [...new Set(pairs.flatMap((p) => [p.qac.eval.n, p.baseline.eval.n]))];
  // Pairs evaluated at different n (one --eval-model run per folder) are rebuilt with --render-only.
  const command =
    ns.length === 1
      ? `npm run report -- --n ${ns[0] ?? f.n}${seed}`
      : pairs
          .flatMap((p) => [p.qac, p.baseline])
          .map((m) => `npm run report -- --n ${m.eval.n}${seed} --eval-model ${m.folder}`)
          .concat('npm run report -- --render-only')
          .join('`, `');
  await writeFile(join(root, 'REPORT.md'), renderReport(pairs, command, notes));
  log(`wrote ${join(root, 'REPORT.md')}`);
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
