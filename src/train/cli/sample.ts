// npm run sample -- --model models/NAME --solver ipndm --nfe 6 [--afs] --seed 0 --batch 16
//                   [--code INDEX] --out grid.png [--npy out.npy]
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { SOLVER_NAMES, isSolverName, type SolverName } from '../../core';
import { checkNodeEp, loadModelNode, type NodeEp } from '../../runtime/node';
import { sampleModel } from '../../runtime/sample';
import { npyBytes, writeNpy } from '../io/npy';
import { checkOutputFile, NPY_FILE, OutputError, PNG_FILE } from '../io/outputs';
import { writePngGrid } from '../io/png-grid';
import { checkFreeSpace } from '../io/space';
import { epOption } from './ep-option';
import { LIMITS } from './limits';
import { intArg as int } from './options';

const program = new Command('sample')
  .description(
    'Sample a batch from an exported model and write it as a PNG grid (and optionally .npy).',
  )
  .requiredOption('--model <path>', 'model folder, or the path to its manifest.json')
  .addOption(
    new Option('--solver <name>', 'solver')
      .choices(SOLVER_NAMES as readonly string[])
      .default('ipndm'),
  )
  .option('--nfe <n>', 'denoiser calls to spend', int('--nfe', 1, LIMITS.nfe), 6)
  .option('--afs', 'analytical first step (saves one network call; counted in the NFE)', false)
  .option(
    '--seed <n>',
    'base seed: sample k uses seed + k for its noise and its code',
    int('--seed', 0),
    0,
  )
  .option('--batch <n>', 'number of samples', int('--batch', 1, LIMITS.batch), 16)
  .option(
    '--code <index>',
    'use this code index for every sample (QAC) instead of drawing codes',
    int('--code', 0),
  )
  .addOption(
    new Option('--grid-end <end>', 'noise grid convention')
      .choices(['zero', 'sigmaMin'])
      .default('sigmaMin'),
  )
  .requiredOption('--out <file.png>', 'PNG grid of the final samples')
  .option('--npy <file.npy>', 'float32 array [2, B, C, H, W]: index 0 = x_T, index 1 = final x')
  .option('--force', 'overwrite --out / --npy even if they are not PNG / .npy files', false)
  .addOption(epOption())
  .addHelpText(
    'after',
    '\nThe .npy holds x_T (the scaled initial noise) and the final samples stacked as [2, B, C, H, W],\n' +
      'float32, C order, values of the final samples in about [-1, 1]: numpy.load(path)[1] is the batch.',
  );

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    model: string;
    solver: string;
    nfe: number;
    afs: boolean;
    seed: number;
    batch: number;
    code?: number;
    gridEnd: 'zero' | 'sigmaMin';
    out: string;
    npy?: string;
    force: boolean;
    ep: NodeEp;
  }>();
  if (!isSolverName(opts.solver)) throw new Error(`unknown solver ${opts.solver}`);
  const solver: SolverName = opts.solver;
  // Before any sampling: a bad output path is reported now, not after the work.
  const out = await checkOutputFile(opts.out, { what: '--out', kind: PNG_FILE, force: opts.force });
  const npy = opts.npy
    ? await checkOutputFile(opts.npy, { what: '--npy', kind: NPY_FILE, force: opts.force })
    : null;
  if (npy === out) throw new OutputError(`--npy ${opts.npy}: is the same file as --out`);
  await checkNodeEp(opts.ep);
  const model = await loadModelNode(opts.model, { ep: opts.ep });
  try {
    const { image, name, kind } = model.manifest;
    const shape = [opts.batch, image.channels, image.height, image.width] as const;
    // Before sampling: the .npy's size is known; the PNG's is not, but it takes a block at least.
    if (npy && dirname(npy) === dirname(out)) {
      await checkFreeSpace(dirname(out), [1, npyBytes([2, ...shape])], '--out/--npy', true);
    } else {
      await checkFreeSpace(dirname(out), [1], `--out ${opts.out}`, true);
      if (npy) await checkFreeSpace(dirname(npy), [npyBytes([2, ...shape])], `--npy ${opts.npy}`);
    }
    const result = await sampleModel(model, { ...opts, solver, end: opts.gridEnd });
    console.log(`model ${name} (${kind}), ${model.backend}`);
    console.log(
      `solver ${solver}${opts.afs ? ' + AFS' : ''}, NFE ${result.nfe}, ${result.sigmas.length - 1} steps`,
    );
    console.log(`sigmas ${result.sigmas.map((s) => s.toPrecision(4)).join(' ')}`);
    if (result.codes.length > 0) console.log(`codes ${result.codes.join(' ')}`);
    await writePngGrid(opts.out, result.x, shape);
    console.log(`wrote ${opts.out}`);
    if (opts.npy) {
      const both = new Float32Array(2 * result.x.length);
      both.set(result.xT, 0);
      both.set(result.x, result.x.length);
      await writeNpy(opts.npy, both, [2, ...shape]);
      console.log(`wrote ${opts.npy} [2, ${shape.join(', ')}] (x_T, x)`);
    }
  } finally {
    await model.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`sample: ${(e as Error).message}`);
  process.exitCode = 1;
});
