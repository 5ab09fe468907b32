/**
 * The solvers' own arithmetic per step: a 16x1x28x28 batch against a zero-cost denoiser (it returns
 * a preallocated array), so every millisecond here is sampler overhead on top of the network.
 * Usage: npm run bench:core [-- --steps 200 --repeats 5 --net-ms 20]
 * --net-ms: a network time per call to express the overhead against (e.g. from bench:browser).
 */
import { karrasSigmas, sample, SOLVER_NAMES, SOLVERS, type SampleOptions } from '../src/core/index';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const steps = arg('steps', 200);
const repeats = arg('repeats', 5);
const netMs = arg('net-ms', 0) || null;
const size = 16 * 1 * 28 * 28;
const out = new Float32Array(size).fill(0.25);
const denoise = () => out;
const x = new Float32Array(size).map((_, j) => Math.sin(j) * 80);
const sigmas = karrasSigmas(steps);

const rows: [string, Partial<SampleOptions>][] = [
  ...SOLVER_NAMES.map((s): [string, Partial<SampleOptions>] => [
    s,
    { solver: s, churn: SOLVERS[s].churn ? 40 : undefined },
  ]),
  ['euler + onStep copies', { solver: 'euler', onStep: () => undefined }],
];

function run(opts: Partial<SampleOptions>) {
  return sample({
    solver: 'euler',
    denoise,
    sigmas,
    x,
    batch: 16,
    seed: 1,
    ...opts,
  } as SampleOptions);
}

// Warm every solver up first, then time round-robin so JIT state and machine load hit all rows
// alike; keep the best round per row.
for (const [, opts] of rows) await run(opts);
const best = new Map<string, { ms: number; nfe: number }>();
for (let r = 0; r < repeats; r++) {
  for (const [name, opts] of rows) {
    const t0 = performance.now();
    const { nfe } = await run(opts);
    const ms = performance.now() - t0;
    if (ms < (best.get(name)?.ms ?? Infinity)) best.set(name, { ms, nfe });
  }
}

console.log(`bench:core  batch 16x1x28x28 (${size} values), ${steps} steps, best of ${repeats}`);
console.log('solver                   ms/step   ms/NFE');
for (const [name, { ms, nfe }] of best) {
  const perStep = (ms / steps).toFixed(4).padStart(7);
  console.log(`${name.padEnd(24)} ${perStep}  ${(ms / nfe).toFixed(4).padStart(7)}`);
}
const base = (best.get('euler')?.ms ?? 1) / steps;
for (const [name, { ms, nfe }] of best) {
  const vsNet = netMs
    ? `, ${((100 * ms) / nfe / netMs).toFixed(2)}% of a ${netMs} ms network call`
    : '';
  console.log(`ratio ${name}: ${(ms / steps / base).toFixed(2)}x euler per step${vsNet}`);
}
