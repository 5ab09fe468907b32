// npm run eval -- --model models/NAME --solver ipndm,heun,euler,dpmpp-2m --nfe 3,4,5,6,8,10,20
//                 [--afs] [--grid-end sigmaMin] --n 5000 [--classifier models/classifier-mnist]
//                 [--codes train-images] [--out DIR] [--update-model]
// Writes only where asked: --out DIR gets eval.json + eval.md, --update-model the model folder's
// eval.json, eval.md and manifest evaluation; with neither the table is only printed.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isSolverName, SOLVER_NAMES, type GridEnd, type SolverName } from '../../core';
import { checkNodeEp, loadModelNode, resolveModelPath, type NodeEp } from '../../runtime/node';
import {
  CODE_SOURCES,
  evaluate,
  FeatureExtractor,
  markdownTable,
  sharesText,
  type CodeSource,
} from '../eval';
import { writeFileAtomic } from '../io/atomic';
import { checkOutputFolder } from '../io/outputs';
import { storeModelEval, writeEvalFile, type ModelEval } from '../report/plan';
import { epOption } from './ep-option';
import { LIMITS } from './limits';
import { intArg, intListArg } from './options';

const solverList = (v: string): SolverName[] =>
  v.split(',').map((s) => {
    const name = s.trim();
    if (!isSolverName(name))
      throw new InvalidArgumentError(`unknown solver "${name}"; one of ${SOLVER_NAMES.join(', ')}`);
    return name;
  });

const program = new Command('eval')
  .description('FID proxy and mean trajectory curvature of a model over solvers and NFEs.')
  .requiredOption('--model <path>', 'model folder or its manifest.json')
  .option(
    '--solver <list>',
    'comma-separated solvers',
    solverList,
    solverList('ipndm,heun,euler,dpmpp-2m'),
  )
  .option(
    '--nfe <list>',
    'comma-separated NFEs (Heun runs the nearest odd one and says so)',
    intListArg('--nfe', LIMITS.nfe),
    [3, 4, 5, 6, 8, 10, 20],
  )
  .option('--afs', 'analytical first step', false)
  .addOption(
    new Option('--grid-end <end>', 'noise grid convention (docs/math.md §4)')
      .choices(['zero', 'sigmaMin'])
      .default('sigmaMin'),
  )
  .option('--n <count>', 'samples per setting', intArg('--n', 2, LIMITS.evalSamples), 5000)
  .option('--seed <n>', 'sample k uses seed + k', intArg('--seed', 0), 0)
  .option('--batch <n>', 'samples per denoiser call', intArg('--batch', 1, LIMITS.batch), 250)
  .addOption(
    new Option(
      '--codes <source>',
      'QAC codes: draws from the sampling weights, or sample k takes the code of training image k',
    )
      .choices(CODE_SOURCES)
      .default('weights'),
  )
  .option('--classifier <dir>', 'classifier folder (default models/classifier-DATASET)')
  .option('--out <dir>', 'write eval.json and eval.md into this folder')
  .option(
    '--update-model',
    "record the evaluation in the model folder (its eval.json, eval.md and the manifest's evaluation)",
    false,
  )
  .addOption(epOption());

interface Flags {
  model: string;
  solver: SolverName[];
  nfe: number[];
  afs: boolean;
  gridEnd: GridEnd;
  n: number;
  seed: number;
  batch: number;
  codes: CodeSource;
  classifier?: string;
  out?: string;
  updateModel: boolean;
  ep: NodeEp;
}

async function main(): Promise<void> {
  const f = program.parse().opts<Flags>();
  // Every place the results go is checked before the (long) evaluation starts.
  // eval.json and eval.md (and, in the model folder, manifest.json): at least a block each, so a
  // full disk is refused now rather than after the evaluation.
  const outDir = f.out === undefined ? null : await checkOutputFolder(f.out, '--out', [1, 1]);
  const modelDir = (await resolveModelPath(f.model)).dir;
  if (f.updateModel && f.codes !== 'weights')
    throw new Error(
      '--update-model records how the model samples for everyone (codes from its sampling weights); use --out for a --codes train-images evaluation',
    );
  if (f.updateModel) await checkOutputFolder(modelDir, '--update-model: model folder', [1, 1, 1]);
  if (!outDir && !f.updateModel)
    console.log('results are only printed: --out DIR keeps them, --update-model records them');
  await checkNodeEp(f.ep);
  const model = await loadModelNode(f.model, { ep: f.ep });
  const m = model.manifest;
  const clfDir = resolve(f.classifier ?? join('models', `classifier-${m.dataset}`));
  const clf = await FeatureExtractor.load(clfDir).catch((e: unknown) => {
    throw new Error(
      `${(e as Error).message}\n(train one with: npm run train -- --classifier --dataset ${m.dataset} --out ${clfDir})`,
    );
  });
  try {
    console.log(
      `evaluating ${m.name} (${m.kind}), ${f.n} samples per setting, classifier ${clfDir}` +
        (f.codes === 'weights' ? '' : ', codes of training images'),
    );
    const settings = await evaluate(model, clf, {
      solvers: f.solver,
      nfes: f.nfe,
      afs: f.afs,
      end: f.gridEnd,
      n: f.n,
      seed: f.seed,
      batch: f.batch,
      codes: f.codes,
      onReference: (shares) => console.log(`held-out split shows: ${sharesText(shares)}`),
      onSetting: (s) =>
        console.log(
          `${s.solver.padEnd(9)} NFE ${String(s.nfe).padStart(2)}${s.afs ? ' +AFS' : ''}  FID proxy ${s.fidProxy.toFixed(2).padStart(8)}  curvature ${s.curvature.toFixed(4)}  (${s.seconds.toFixed(0)} s)` +
            (s.attributes ? `  shows: ${sharesText(s.attributes)}` : '') +
            (s.note ? `  note: ${s.note}` : ''),
        ),
    });
    const classifierName = clf.info?.name ?? clfDir;
    const result: ModelEval = {
      model: m.name,
      kind: m.kind,
      n: f.n,
      seed: f.seed,
      end: f.gridEnd,
      classifier: classifierName,
      ...(clf.info && { classifierSha256: clf.info.sha256 }),
      ...(f.codes !== 'weights' && { codes: f.codes }),
      settings,
    };
    const table = markdownTable(m.name, settings, f.n, classifierName, f.codes);
    console.log(`\n${table}`);
    if (outDir) {
      await mkdir(outDir, { recursive: true });
      await writeEvalFile(result, outDir);
      await writeFileAtomic(join(outDir, 'eval.md'), Buffer.from(table));
      console.log(`wrote ${join(outDir, 'eval.json')} and eval.md`);
    }
    if (f.updateModel) {
      await storeModelEval(result, f.model, modelDir);
      await writeFileAtomic(join(modelDir, 'eval.md'), Buffer.from(table));
      console.log(`wrote ${join(modelDir, 'eval.json')}, eval.md and the manifest's evaluation`);
    }
  } finally {
    await clf.release();
    await model.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
