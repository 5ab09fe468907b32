// npm run train -- --dataset mnist --mode qac --steps N --out NAME [--resume] [--preset P]
//                  [--batch B] [--bits D] ...        (a bare NAME lives under ~/.cache/qac-playground/runs)
// npm run train -- --classifier [--classifier-arch wide] --dataset mnist --out models/classifier-mnist
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { DATASET_NAMES, isDatasetName, presetsFor } from '../data';
import { MODES, presetFor, PRESETS, type Mode } from '../model';
import { trainClassifierCli } from '../eval/classifier-cli';
import { AUGMENTATIONS, type Augmentation } from '../eval/augment';
import { CLASSIFIER_ARCH_NAMES, type ClassifierArch } from '../eval/classifier-net';
import {
  CHECKPOINT_FILE,
  DEFAULT_RUNS_DIR,
  DEFAULT_TRAIN,
  LR_SCHEDULES,
  NonFiniteLossError,
  type LrSchedule,
  type NoiseMix,
  readInitFrom,
  resolveRunDir,
  runTraining,
  type TrainConfig,
} from '../trainer';
import { checkOutputFolder } from '../io/outputs';
import { LIMITS } from './limits';
import { checkNodeEp, type NodeEp } from '../../runtime/node/ep';
import { epOption } from './ep-option';
import { choiceListArg, finiteArg, intArg, intListArg, noiseMixArg, numArg } from './options';
import { saveOnSignals } from './stop-signals';

const program = new Command('train')
  .description(
    `Train a QAC model or its baseline (Algorithm 1), or with --classifier the FID-proxy classifier.\n` +
      `Runs named without a slash live in ${DEFAULT_RUNS_DIR}.`,
  )
  .requiredOption('--dataset <name>', `dataset: ${DATASET_NAMES.join(', ')}`)
  .option('--data-dir <dir>', 'folder with the raw data (fashion-mnist IDX files, folder images)')
  .option('--limit <n>', 'use only the first n images', intArg('--limit', 1))
  .addOption(
    new Option('--mode <mode>', 'qac or the unconditional baseline').choices(MODES).default('qac'),
  )
  .option('--classifier', 'train the small classifier whose features define the FID proxy', false)
  .addOption(
    new Option('--classifier-arch <name>', 'design of the --classifier network')
      .choices(CLASSIFIER_ARCH_NAMES)
      .default('small'),
  )
  .option(
    '--classifier-augment <list>',
    `augment the --classifier's training batches (${AUGMENTATIONS.join(', ')})`,
    choiceListArg('--classifier-augment', AUGMENTATIONS),
    [],
  )
  .option('--steps <n>', 'total optimiser steps', intArg('--steps', 1), DEFAULT_TRAIN.steps)
  .requiredOption('--out <dir>', 'run folder (a bare name goes under the runs folder)')
  .option('--resume', 'continue the run in --out from its checkpoint', false)
  .addOption(new Option('--preset <name>', 'network sizes').choices(Object.keys(PRESETS)))
  .option('--batch <n>', 'batch size', intArg('--batch', 1, LIMITS.trainBatch), DEFAULT_TRAIN.batch)
  .option('--bits <d>', 'code bits d', intArg('--bits', 1))
  .option('--levels <L>', 'quantizer levels per code channel', intArg('--levels', 2))
  .option('--base <c>', 'U-Net channels at full resolution', intArg('--base', 1))
  .option('--lr <x>', 'Adam learning rate', numArg('--lr'), DEFAULT_TRAIN.lr)
  .addOption(
    new Option('--lr-schedule <kind>', 'learning rate after warm-up (docs/math.md §3)')
      .choices(LR_SCHEDULES)
      .default(DEFAULT_TRAIN.lrSchedule),
  )
  .option(
    '--lr-decay-steps <n>',
    'cosine, wsd: the step where the rate reaches 0; rsqrt: its reference step (default: --steps; with --resume it moves the stored one)',
    intArg('--lr-decay-steps', 1),
  )
  .option(
    '--warmup <n>',
    'learning-rate warm-up steps',
    intArg('--warmup', 0),
    DEFAULT_TRAIN.warmupSteps,
  )
  .option(
    '--seed <n>',
    'seed of initialisation, data order and noise',
    intArg('--seed', 0),
    DEFAULT_TRAIN.seed,
  )
  .option(
    '--checkpoint-every <n>',
    'steps between checkpoints',
    intArg('--checkpoint-every', 1),
    DEFAULT_TRAIN.checkpointEvery,
  )
  .option(
    '--snapshot-at <steps>',
    "keep copies of the checkpoint at these steps (comma list; with --resume, added to the run's own)",
    intListArg('--snapshot-at'),
    [],
  )
  .option(
    '--ema-half-life <images>',
    'EMA half-life in images',
    numArg('--ema-half-life'),
    DEFAULT_TRAIN.emaHalfLifeImages,
  )
  .option(
    '--ema-rampup <fraction>',
    'the EMA half-life is at most this fraction of the images seen so far',
    numArg('--ema-rampup'),
    DEFAULT_TRAIN.emaRampup,
  )
  .option(
    '--p-mean <x>',
    'training noise levels: ln(sigma) ~ N(p-mean, p-std^2)',
    finiteArg('--p-mean'),
    DEFAULT_TRAIN.pMean,
  )
  .option('--p-std <x>', 'see --p-mean', numArg('--p-std'), DEFAULT_TRAIN.pStd)
  .option(
    '--p-mix <share,mean,std>',
    'with probability share, draw ln(sigma) ~ N(mean, std^2) instead',
    noiseMixArg('--p-mix'),
  )
  .option(
    '--init-from <model>',
    "start from this model folder's parameters (same network and mode) instead of a random initialisation",
  )
  .option(
    '--threads <n>',
    'onnxruntime threads',
    intArg('--threads', 1, LIMITS.threads),
    DEFAULT_TRAIN.threads,
  )
  .addOption(epOption());

interface Flags {
  dataset: string;
  dataDir?: string;
  limit?: number;
  mode: Mode;
  classifier: boolean;
  classifierArch: ClassifierArch;
  classifierAugment: Augmentation[];
  steps: number;
  out: string;
  resume: boolean;
  preset?: string;
  batch: number;
  bits?: number;
  levels?: number;
  base?: number;
  lr: number;
  lrSchedule: LrSchedule;
  lrDecaySteps?: number;
  warmup: number;
  seed: number;
  checkpointEvery: number;
  snapshotAt: number[];
  emaHalfLife: number;
  emaRampup: number;
  pMean: number;
  pStd: number;
  pMix?: NoiseMix;
  initFrom?: string;
  threads: number;
  ep: NodeEp;
}

function configFrom(f: Flags): TrainConfig {
  // The largest preset built for the dataset's images; an unknown dataset is refused when it loads.
  const preset =
    f.preset ?? (isDatasetName(f.dataset) ? presetsFor(f.dataset).at(-1) : undefined) ?? 'rgb32';
  const model = presetFor(preset);
  if (f.bits !== undefined) model.bits = f.bits;
  if (f.levels !== undefined) model.levels = f.levels;
  if (f.base !== undefined) model.base = f.base;
  return {
    ...DEFAULT_TRAIN,
    dataset: f.dataset,
    ...(f.dataDir !== undefined && { dataDir: f.dataDir }),
    ...(f.limit !== undefined && { limit: f.limit }),
    mode: f.mode,
    preset,
    model,
    seed: f.seed,
    batch: f.batch,
    steps: f.steps,
    lr: f.lr,
    warmupSteps: f.warmup,
    lrSchedule: f.lrSchedule,
    lrDecaySteps: f.lrDecaySteps ?? f.steps,
    checkpointEvery: f.checkpointEvery,
    snapshotAt: f.snapshotAt,
    emaHalfLifeImages: f.emaHalfLife,
    emaRampup: f.emaRampup,
    pMean: f.pMean,
    pStd: f.pStd,
    ...(f.pMix && { pMix: f.pMix }),
    threads: f.threads,
  };
}

async function main(): Promise<void> {
  const f = program.parse().opts<Flags>();
  await checkNodeEp(f.ep);
  const dir = resolveRunDir(f.out);
  // Before the data loads: a run folder that cannot take files is reported now.
  await checkOutputFolder(f.classifier ? resolve(f.out) : dir, '--out');
  if (f.classifier) {
    await trainClassifierCli({
      ...f,
      arch: f.classifierArch,
      augment: f.classifierAugment,
      out: f.out,
    });
    return;
  }
  const config = configFrom(f);
  // Read and checked before the run folder exists, so a bad model leaves nothing behind.
  const start =
    f.initFrom === undefined || f.resume ? undefined : await readInitFrom(f.initFrom, config);
  const checkpoint = join(dir, CHECKPOINT_FILE);
  const stopRequested = saveOnSignals(checkpoint);
  const bar = new SingleBar({
    format:
      'step {value}/{total} |{bar}| loss {loss} | {ips} img/s | ETA {eta_formatted} | codes {codes} ppl {ppl}',
    etaBuffer: 50,
    hideCursor: true,
    // Under nohup or a pipe the bar still reports, as one line every 10 s, for long runs' logs.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  let images = 0;
  let seconds = 0;
  try {
    const result = await runTraining(dir, config, {
      resume: f.resume,
      ...(f.resume && f.lrDecaySteps !== undefined && { lrDecaySteps: f.lrDecaySteps }),
      ep: f.ep,
      ...(start && { start }),
      shouldStop: stopRequested,
      onStaleLock: (h) =>
        console.log(
          `note: took over the lock of process ${h.pid} (started ${h.started}), which no longer runs`,
        ),
      onStart: (t) => {
        const c = t.config;
        console.log(`run ${dir}: ${c.mode} on ${c.dataset}, preset ${c.preset}, batch ${c.batch}`);
        console.log(
          `parameters: denoiser ${t.counts.denoiser.toLocaleString('en')}, encoder ${t.counts.encoder.toLocaleString('en')}` +
            (t.counts.encoder
              ? ` (${((100 * t.counts.encoder) / t.counts.denoiser).toFixed(1)}%)`
              : ''),
        );
        bar.start(c.steps, t.step, { loss: '-', ips: '-', codes: '-', ppl: '-' });
      },
      onStep: (r, t) => {
        images += t.config.batch;
        seconds += r.seconds;
        bar.update(r.step, {
          loss: r.loss.toFixed(4),
          ips: (images / seconds).toFixed(1),
          codes: t.config.mode === 'qac' ? r.codesInUse : '-',
          ppl: t.config.mode === 'qac' ? r.perplexity.toFixed(1) : '-',
        });
      },
    });
    bar.stop();
    console.log(
      result.interrupted
        ? `stopped at step ${result.step}, ${result.wallTimeSeconds.toFixed(0)} s of training; saved ${checkpoint} (continue with the same command and --resume)`
        : `done at step ${result.step}, ${result.wallTimeSeconds.toFixed(0)} s of training; checkpoint in ${dir}`,
    );
  } catch (e) {
    bar.stop();
    if (e instanceof NonFiniteLossError) {
      console.error(
        `error: ${e.message}; the run stopped and ${dir} keeps its last good checkpoint`,
      );
      process.exit(1);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
