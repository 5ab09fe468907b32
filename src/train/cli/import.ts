// npm run import -- --onnx unet.onnx (--scheduler-config scheduler_config.json | --beta-schedule linear
//                   [--beta-start 0.0001 --beta-end 0.02 --num-train-timesteps 1000])
//                   [--prediction epsilon|v_prediction|sample|edm] --out models/NAME
//   Wraps an external ONNX diffusion network into a model folder the app and the CLIs load
//   (docs/import.md, docs/math.md §9). Nothing is written unless every check passes.
import { Command, InvalidArgumentError, Option } from 'commander';
import { BETA_SCHEDULES, type BetaScheduleName } from '../import/schedule';
import { PREDICTIONS, type Prediction } from '../import/scheduler-config';
import { importModel } from '../import/import';
import { intArg, numArg } from './options';

/** A comma-separated list of `n` items, each checked by `item`. */
const listArg =
  <T>(flag: string, n: number, what: string, item: (v: string) => T | null) =>
  (value: string): T[] => {
    const parts = value.split(',').map((v) => v.trim());
    const items = parts.map(item);
    if (parts.length !== n || items.some((v) => v === null))
      throw new InvalidArgumentError(`${flag} takes ${what}, got "${value}"`);
    return items as T[];
  };

const side = (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};
const finite = (v: string) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const name = (v: string) => (v !== '' ? v : null);

const program = new Command('import')
  .description(
    'Wrap an external ONNX diffusion network (diffusers UNet2DModel and the like, or an EDM F) into a model folder: one denoiser.onnx taking x and sigma.',
  )
  .requiredOption('--onnx <file>', 'the exported network (one .onnx file, weights inside)')
  .option(
    '--scheduler-config <file>',
    "diffusers' scheduler_config.json (schedule + prediction type)",
  )
  .addOption(
    new Option('--beta-schedule <name>', 'the training schedule, without a config file').choices(
      BETA_SCHEDULES,
    ),
  )
  .option('--beta-start <x>', 'first beta (default 0.0001)', numArg('--beta-start'))
  .option('--beta-end <x>', 'last beta (default 0.02)', numArg('--beta-end'))
  .option(
    '--num-train-timesteps <n>',
    'training timesteps (default 1000)',
    intArg('--num-train-timesteps', 2, 100_000),
  )
  .addOption(
    new Option(
      '--prediction <type>',
      'what the network predicts (default: the config, else epsilon)',
    ).choices(PREDICTIONS),
  )
  .option(
    '--sigma-data <x>',
    "data standard deviation in the network's range (edm's preconditioning; AFS); default 0.5 per unit of half-range",
    numArg('--sigma-data'),
  )
  .option(
    '--sigma-min <x>',
    'edm only: lowest sampling sigma (default 0.002)',
    numArg('--sigma-min'),
  )
  .option('--sigma-max <x>', 'edm only: highest sampling sigma (default 80)', numArg('--sigma-max'))
  .option(
    '--input-names <sample,timestep>',
    'the network input names (default sample,timestep)',
    listArg('--input-names', 2, 'two names, SAMPLE,TIMESTEP', name),
  )
  .option('--output-name <name>', 'the network output name (default out_sample)')
  .option(
    '--image <C,H,W>',
    'image size, when the graph leaves it open',
    listArg('--image', 3, 'three positive integers, C,H,W', side),
  )
  .option(
    '--value-range <lo,hi>',
    'pixel range the network works in (default -1,1; write --value-range=0,1)',
    listArg('--value-range', 2, 'two numbers, LO,HI', finite),
  )
  .option('--name <name>', 'model name in the manifest (default: the folder name)')
  .option('--dataset <name>', 'what the network was trained on, for the manifest', 'imported')
  .option('--credits <text>', 'who made the network and its licence, for the card')
  .requiredOption('--out <dir>', 'model folder to write: missing, empty or a model folder')
  .option('--force', 'replace --out even if it holds other files (they are deleted)', false);

async function main(): Promise<void> {
  const o = program.parse().opts<{
    onnx: string;
    schedulerConfig?: string;
    betaSchedule?: BetaScheduleName;
    betaStart?: number;
    betaEnd?: number;
    numTrainTimesteps?: number;
    prediction?: Prediction;
    sigmaData?: number;
    sigmaMin?: number;
    sigmaMax?: number;
    inputNames?: [string, string];
    outputName?: string;
    image?: [number, number, number];
    valueRange?: [number, number];
    name?: string;
    dataset: string;
    credits?: string;
    out: string;
    force: boolean;
  }>();
  const res = await importModel(o);
  const m = res.manifest;
  const p = m.source!.parameterisation;
  console.log(
    `imported ${m.source!.onnx.file} (${m.parameters.denoiser.toLocaleString('en')} parameters): ` +
      `${p.prediction}, ${p.schedule ? `${p.schedule.betaSchedule} x ${p.schedule.numTrainTimesteps}` : 'edm'}, timestep ${p.timestep}`,
  );
  console.log(
    `image ${m.image.channels}x${m.image.height}x${m.image.width}, sigma ${m.sigmaMin.toPrecision(4)} .. ${m.sigmaMax.toPrecision(4)}; ` +
      `test call on zeros: denoised in [${res.testCall.min.toPrecision(3)}, ${res.testCall.max.toPrecision(3)}]`,
  );
  console.log(`wrote ${res.dir}`);
  for (const f of Object.values(m.files))
    console.log(`  ${f.path}  ${f.bytes} bytes  sha256 ${f.sha256.slice(0, 12)}…`);
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
