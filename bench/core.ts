/**
 * The solvers' own arithmetic per step: a 16x1x28x28 batch against a zero-cost denoiser (it returns
 * a preallocated array), so every millisecond here is sampler overhead on top of the network.
 * Usage: npm run bench:core [-- --steps 200 --repeats 5 --net-ms 20]
 * --net-ms: a network time per call to express the overhead against (e.g. from bench:browser).
 */
import { karrasSigmas, sample, SOLVER_NAMES, type SampleOptions } from '../src/core/index';

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

async function time(
  opts: Partial<SampleOptions>,
): Promise<{ msPerStep: number; msPerNfe: number }> {
  const run = () =>
    sample({ solver: 'euler', denoise, sigmas, x, batch: 16, seed: 1, ...opts } as SampleOptions);
  await run();
  let best = Infinity;
  let nfe = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    nfe = (await run()).nfe;
    best = Math.min(best, performance.now() - t0);
  }
  return { msPerStep: best / steps, msPerNfe: best / nfe };
}

const rows: [string, Partial<SampleOptions>][] = [
  ...SOLVER_NAMES.map((s): [string, Partial<SampleOptions>] => [
    s,
    { solver: s, churn: s === 'edm-sde' ? 40 : undefined },
  ]),
  ['euler + onStep copies', { solver: 'euler', onStep: () => undefined }],
];

console.log(`bench:core  batch 16x1x28x28 (${size} values), ${steps} steps, best of ${repeats}`);
console.log('solver                   ms/step   ms/NFE');
const results = new Map<string, { msPerStep: number; msPerNfe: number }>();
for (const [name, opts] of rows) {
  const r = await time(opts);
  results.set(name, r);
  console.log(
    `${name.padEnd(24)} ${r.msPerStep.toFixed(4).padStart(7)}  ${r.msPerNfe.toFixed(4).padStart(7)}`,
  );
}
const base = results.get('euler')?.msPerStep ?? 1;
for (const [name, r] of results) {
  const vsNet = netMs
    ? `, ${((100 * r.msPerNfe) / netMs).toFixed(2)}% of a ${netMs} ms network call`
    : '';
  console.log(`ratio ${name}: ${(r.msPerStep / base).toFixed(2)}x euler per step${vsNet}`);
}
