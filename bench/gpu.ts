/**
 * Node on the GPU against the CPU, on whatever GPU onnxruntime-node's WebGPU EP finds (Vulkan):
 * - ms per denoiser call of the avatars model (models/avatars-qac) at batch 1, 16 and 64, on the
 *   webgpu and cpu EPs, and their ratio;
 * - training images/s of the rgb32 preset (QAC, the Node trainer's loop and step graph, batch
 *   32, on synthetic 32x32 RGB images: the rate does not depend on the pixels), webgpu vs cpu.
 * Stays within --budget seconds (default 480): each part gets a share, and a part that would not
 * fit is cut short (fewer calls or steps, said so) or skipped. bench/README.md: how to run it on a
 * GPU machine without Node (bench/pack-gpu.ts).
 *
 * Usage: npm run bench:gpu [-- --budget 480 --batches 1,16,64 --calls 20 --train-steps 10
 *        --train-batch 32 --model models/avatars-qac --threads N]
 */
import { availableParallelism, loadavg } from 'node:os';
import { Command } from 'commander';
import { Rng } from '../src/core';
import { checkNodeEp, loadModelNode, NODE_EPS, type NodeEp } from '../src/runtime/node';
import { TrainSession } from '../src/runtime/train-session';
import type { ImageDataset } from '../src/train/data/types';
import { presetFor } from '../src/train/model';
import { DEFAULT_TRAIN, type TrainConfig } from '../src/train/trainer/config';
import { TrainerCore } from '../src/train/trainer/trainer-core';
import { denoiserCallMs } from './denoiser-call';

const list = (v: string) => v.split(',').map(Number);
const opts = new Command('bench:gpu')
  .option('--budget <s>', 'the whole run in at most this many seconds', Number, 480)
  .option('--model <dir>', 'model folder for the denoiser calls', 'models/avatars-qac')
  .option('--batches <list>', 'denoiser batch sizes', list, [1, 16, 64])
  .option(
    '--calls <n>',
    'timed denoiser calls per batch and EP (fewer if time is short)',
    Number,
    20,
  )
  .option('--train-steps <n>', 'timed training steps per EP (fewer if time is short)', Number, 10)
  .option('--train-batch <n>', 'training batch', Number, DEFAULT_TRAIN.batch)
  .option('--threads <n>', 'CPU EP intra-op threads (default: one per core)', Number)
  .parse()
  .opts<{
    budget: number;
    model: string;
    batches: number[];
    calls: number;
    trainSteps: number;
    trainBatch: number;
    threads?: number;
  }>();

const t0 = performance.now();
const deadline = t0 + opts.budget * 1000;
const left = () => deadline - performance.now();
/** The parts' weights: the denoiser on each EP, then training on each EP. */
const WEIGHTS = [2, 2, 3, 3];
/** Part i's share of the time left: its weight over the weights of the parts not yet run. */
const share = (i: number) => (left() * WEIGHTS[i]!) / WEIGHTS.slice(i).reduce((a, b) => a + b, 0);
const threads = opts.threads ?? availableParallelism();
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));

/** The denoiser at each batch on one EP; null where the time share ran out. */
async function calls(ep: NodeEp, share: number): Promise<(number | null)[]> {
  const end = performance.now() + share;
  const model = await loadModelNode(opts.model, { ep, threads });
  try {
    const out: (number | null)[] = [];
    for (const [k, batch] of opts.batches.entries()) {
      // An equal share of what is left for each remaining batch; the first call sizes the rest.
      const mine = (end - performance.now()) / (opts.batches.length - k);
      if (mine <= 0) {
        out.push(null);
        continue;
      }
      const probe = await denoiserCallMs(model, batch, 1, 1);
      if (5 * probe.ms > mine) {
        console.log(`  (${ep} batch ${batch}: one call, time is short)`);
        out.push(probe.ms);
        continue;
      }
      const n = Math.max(3, Math.min(opts.calls, Math.floor(mine / (2 * probe.ms)) - 2));
      const t = await denoiserCallMs(model, batch, n, 2);
      if (n < opts.calls) console.log(`  (${ep} batch ${batch}: ${n} calls, time is short)`);
      out.push(t.ms);
    }
    return out;
  } finally {
    await model.dispose();
  }
}

/** Synthetic 32x32 RGB images in [-1, 1] for the rgb32 preset. */
function syntheticImages(count: number): ImageDataset {
  const rng = new Rng(5, 0);
  return {
    name: 'synthetic-rgb32',
    channels: 3,
    height: 32,
    width: 32,
    count,
    images: Float32Array.from({ length: count * 3 * 32 * 32 }, () => Math.tanh(rng.normal())),
    labels: new Int32Array(count),
    classNames: ['none'],
    source: 'bench/gpu.ts',
  };
}

/**
 * A training step's ms guessed from the denoiser's (forward, backward and Adam: about three
 * forwards, of the denoiser and the encoder), scaled from the largest batch timed; null if none.
 */
function stepGuess(callMs: (number | null)[]): number | null {
  const timed = opts.batches
    .map((b, i) => ({ b, ms: callMs[i] }))
    .filter((t): t is { b: number; ms: number } => t.ms != null)
    .sort((x, y) => x.b - y.b);
  const largest = timed.at(-1);
  return largest ? 3 * largest.ms * Math.max(1, opts.trainBatch / largest.b) : null;
}

/** Training images/s on one EP (QAC, rgb32), after two warm-up steps; null if out of time. */
async function trainRate(ep: NodeEp, share: number, guess: number | null): Promise<number | null> {
  // Steps cannot be cut short: a device this slow (SwiftShader) would blow the budget.
  if (guess === null || 4 * guess > share) {
    console.log(`  (${ep} training skipped: a step would take about ${fmt(guess ?? NaN)} ms)`);
    return null;
  }
  const end = performance.now() + share;
  const config: TrainConfig = {
    ...DEFAULT_TRAIN,
    dataset: 'synthetic-rgb32',
    mode: 'qac',
    preset: 'rgb32',
    model: presetFor('rgb32'),
    batch: opts.trainBatch,
    threads,
  };
  const trainer = await TrainerCore.create(config, syntheticImages(1024), undefined, (g, init) =>
    TrainSession.create(g, init, { threads, ep }),
  );
  try {
    const warm = performance.now();
    for (let k = 0; k < 2; k++) await trainer.trainStep();
    const perStep = (performance.now() - warm) / 2;
    const steps = Math.min(opts.trainSteps, Math.floor((end - performance.now()) / perStep));
    if (steps < 1) return null;
    if (steps < opts.trainSteps) console.log(`  (${ep} training: ${steps} steps, time is short)`);
    const t = performance.now();
    for (let k = 0; k < steps; k++) await trainer.trainStep();
    return (steps * opts.trainBatch) / ((performance.now() - t) / 1000);
  } finally {
    await trainer.release();
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:gpu: node ${process.version}, ${availableParallelism()} cores (cpu EP: ${threads} threads), ` +
      `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? '(unset)'}, budget ${opts.budget} s, ` +
      `load average ${loadavg()[0]!.toFixed(2)}`,
  );
  await checkNodeEp('webgpu');
  const table = new Map<NodeEp, (number | null)[]>();
  for (const [k, ep] of NODE_EPS.entries()) table.set(ep, await calls(ep, share(k)));
  console.log(`denoiser ${opts.model}: ms per call (median)`);
  console.log('  batch      cpu   webgpu   cpu/webgpu');
  const rows = opts.batches.map((b, i) => {
    const [c, g] = [table.get('cpu')![i], table.get('webgpu')![i]];
    const ratio = c != null && g != null ? (c / g).toPrecision(3) : '-';
    return { b, c: c == null ? 'skipped' : fmt(c), g: g == null ? 'skipped' : fmt(g), ratio };
  });
  for (const r of rows)
    console.log(
      `  ${String(r.b).padStart(5)} ${r.c.padStart(8)} ${r.g.padStart(8)}   ${r.ratio.padStart(10)}`,
    );
  for (const r of rows)
    console.log(
      `RESULT gpu_call batch=${r.b} cpu_ms=${r.c} webgpu_ms=${r.g} cpu_over_webgpu=${r.ratio}`,
    );
  const rates = new Map<NodeEp, number | null>();
  for (const [k, ep] of NODE_EPS.entries())
    rates.set(ep, await trainRate(ep, share(2 + k), stepGuess(table.get(ep)!)));
  const [c, g] = [rates.get('cpu'), rates.get('webgpu')];
  console.log(
    `RESULT gpu_train preset=rgb32 batch=${opts.trainBatch} cpu_images_per_s=${c?.toFixed(1) ?? 'skipped'} ` +
      `webgpu_images_per_s=${g?.toFixed(1) ?? 'skipped'}` +
      (c && g ? ` webgpu_over_cpu=${(g / c).toPrecision(3)}` : '') +
      ` (load average ${loadavg()[0]!.toFixed(2)})`,
  );
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:gpu: ${(e as Error).message}`);
    process.exit(1);
  },
);
