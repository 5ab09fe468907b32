// Training-step benchmark on onnxruntime-node: `npm run bench:train -- --workload ref6`.
// ref6 is fixed by issue 3 so that other frameworks can run the identical step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  Graph,
  Params,
  buildGradientGraph,
  buildTrainingStep,
  initValues,
  kaiming,
  op,
  type Tensor,
} from '../src/graph';
import { checkNodeEp, type NodeEp } from '../src/runtime/node/ep';
import { GraphSession, TrainSession } from '../src/runtime/train-session';
import { epOption } from '../src/train/cli/ep-option';
import { encodeNpy } from '../src/train/io/npy';

const BATCH = 32;
const GFLOP_PER_STEP = 7.72;
const X_SHAPE = [BATCH, 1, 28, 28];

// [in, out, stride] of the six 3x3 convs, padding 1, all with biases.
const LAYERS: [number, number, number][] = [
  [1, 32, 1],
  [32, 32, 1],
  [32, 64, 2],
  [64, 64, 1],
  [96, 32, 1],
  [32, 1, 1],
];

function ref6(p: Params, x: Tensor): Tensor {
  const conv = (i: number, h: Tensor): Tensor => {
    const [cin, cout, stride] = LAYERS[i]!;
    const init = kaiming(cin * 9);
    return op.conv2d(h, p.param(`w${i}`, [cout, cin, 3, 3], init), p.param(`b${i}`, [cout], init), {
      stride,
      pad: 1,
    });
  };
  const h0 = op.silu(conv(0, x));
  const skip = op.silu(conv(1, h0));
  const down = op.silu(conv(3, op.silu(conv(2, skip))));
  const up = op.concat([op.upsample2x(down), skip], 1);
  return conv(5, op.silu(conv(4, up)));
}

function build(): { p: Params; loss: Tensor } {
  const g = new Graph();
  const p = Params.create(g);
  const y = ref6(p, g.input('x', X_SHAPE));
  return { p, loss: op.mean(op.square(op.sub(y, g.input('target', X_SHAPE)))) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function dump(
  dir: string,
  seed: number,
  params: Map<string, Float32Array>,
  data: Record<string, Float32Array>,
) {
  mkdirSync(dir, { recursive: true });
  const { p, loss } = build();
  const grads = await (
    await GraphSession.create(buildGradientGraph(p, loss))
  ).run({ ...data, ...Object.fromEntries(params) });
  const write = (name: string, v: Float32Array, shape: readonly number[]) =>
    writeFileSync(join(dir, `${name}.npy`), encodeNpy(v, shape));
  write('x', data.x!, X_SHAPE);
  write('target', data.target!, X_SHAPE);
  for (const spec of p.specs) {
    write(spec.name, params.get(spec.name)!, spec.shape);
    write(`g${spec.name}`, grads[`grad.${spec.name}`] as Float32Array, spec.shape);
  }
  console.log(
    `dumped x, target, w0..w5, b0..b5 and their first-step gradients (seed ${seed}) to ${dir}`,
  );
}

async function main(): Promise<void> {
  const opts = new Command()
    .requiredOption('--workload <name>', 'benchmark workload (ref6)')
    .option('--steps <n>', 'timed steps', '12')
    .option('--warmup <n>', 'untimed warm-up steps', '2')
    .option('--threads <n>', 'ORT intra-op threads', '2')
    .option('--inter-op <n>', 'ORT inter-op threads (above 1: parallel execution mode)', '1')
    .option('--seed <s>', 'seed for data and initial weights', '0')
    .option('--profile <prefix>', 'write an ORT profile trace with this file-name prefix')
    .option('--dump <dir>', 'write x, target, initial weights and first-step gradients as .npy')
    .addOption(epOption())
    .parse()
    .opts<{
      workload: string;
      steps: string;
      warmup: string;
      threads: string;
      interOp: string;
      seed: string;
      dump?: string;
      profile?: string;
      ep: NodeEp;
    }>();
  if (opts.workload !== 'ref6')
    throw new Error(`unknown workload '${opts.workload}' (known: ref6)`);
  const steps = Number(opts.steps);
  const warmup = Number(opts.warmup);
  const seed = Number(opts.seed);
  if (!(steps >= 10)) throw new Error('--steps must be at least 10');
  await checkNodeEp(opts.ep);

  const { p, loss } = build();
  const params = p.initialValues(seed);
  const size = X_SHAPE.reduce((a, b) => a * b, 1);
  const data = {
    x: initValues({ kind: 'uniform', bound: 1 }, [size], seed, 'x'),
    target: initValues({ kind: 'uniform', bound: 1 }, [size], seed, 'target'),
  };
  if (opts.dump) await dump(opts.dump, seed, params, data);

  const t0 = performance.now();
  const step = buildTrainingStep(p, { loss, adam: {} });
  const session = await TrainSession.create(step, params, {
    threads: Number(opts.threads),
    interOpThreads: Number(opts.interOp),
    ep: opts.ep,
    ...(opts.profile ? { profilePrefix: opts.profile } : {}),
  });
  console.log(
    `ref6: ${p.count} parameters on ${opts.ep}, graph built and loaded in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const times: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await session.run(data, 1e-3);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const tag = i < warmup ? 'warm-up' : 'step';
    const loss = (out.loss as Float32Array)[0]!.toFixed(6);
    // CPU time shows the work done even when other processes share the cores.
    console.log(
      `${tag} ${i + 1}: ${ms.toFixed(1)} ms  cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms  loss ${loss}`,
    );
    if (i >= warmup) times.push(ms);
  }
  if (opts.profile) session.endProfiling();
  const ms = median(times);
  console.log(
    `RESULT ref6 ms_per_step=${ms.toFixed(1)} gflops=${((GFLOP_PER_STEP / ms) * 1000).toFixed(1)}`,
  );
}

await main();
