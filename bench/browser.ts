/**
 * Browser benchmark (headless Chromium; wasm here, WebGPU where a GPU exists):
 * - sampler overhead ratio = time of an N-step run / (N x one denoiser call), target <= 1.10, on
 *   one batch and warm sessions, medians of interleaved rounds; printed for the sampler alone and
 *   for the app's run, which also records sample 0's intermediates and curvature;
 * - time from page load (the app's default settings) to the first sample on a warm cache (models
 *   in the Cache API, assets in the HTTP cache), target <= 3 s;
 * - interaction ratio = time from the last of two mid-run solver changes to the final result on
 *   screen / one clean run at the final settings, target <= 1.2 (a run that ignored the changes
 *   until it was done, then ran each superseded setting, scores well above 2);
 * - lab_fill_ms: the solver lab's request to its last cell on screen (every solver x 9 NFEs, both
 *   models, plus the NFE-100 reference) on the default pair, warm (the second fill of the page).
 * - train_images_per_s: the Train panel's images/s (QAC and baseline steps, the panel's default
 *   preset and batch, onnxruntime-web wasm in its worker, WebGPU with --webgpu) next to the Node
 *   trainer's on the same config (onnxruntime-node, one thread, the same loop and step graphs);
 * - the CPU path: the app's warm ms per denoiser call (the Measure figure: the default pair's QAC
 *   model, batch --batch, wasm) next to onnxruntime-node's on the same model, batch and thread
 *   count, and their ratio, target <= 2.5; and the first-run penalty, the first sample of a page
 *   minus the same request run again (the worker's marks), target <= 500 ms.
 * Uses the shipped models when models/catalog.json exists, else the e2e fixture pairs.
 *
 * Usage: npm run bench:browser [-- --nfe 10 --batch 4 --repeats 5 --webgpu --models DIR]
 *        [--lab-only]   (the lab fill alone: the rest takes many minutes)
 *        [--train-only] (the training rates alone) [--call-only] (the CPU path alone)
 *        [--train-steps N] (steps timed for the training rates, default 12: short windows include
 *        V8's tier-up of ORT's wasm kernels, which a long run amortises)
 *        [--port N] (default 4875)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { readFile } from 'node:fs/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { browserTrainConfig, DEFAULT_BROWSER_TRAIN } from '../src/app/training/config';
import { parseCatalog } from '../src/runtime/catalog';
import { loadModelNode } from '../src/runtime/node';
import { TrainSession } from '../src/runtime/train-session';
import { loadMnist } from '../src/train/data/mnist';
import { TrainerCore } from '../src/train/trainer/trainer-core';
import { denoiserCallMs } from './denoiser-call';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const NFE = flag('nfe', 10);
const BATCH = flag('batch', 4);
const REPEATS = flag('repeats', 5);
const WEBGPU = args.includes('--webgpu');
const LAB_ONLY = args.includes('--lab-only');
const TRAIN_ONLY = args.includes('--train-only');
const CALL_ONLY = args.includes('--call-only');
/** Training steps timed after the warm-up (both in the browser and in Node): --train-steps. */
const TRAIN_STEPS = flag('train-steps', 12);
// --port lets two checkouts (or two benchmarks) run side by side, each with its own build.
const PORT = flag('port', 4875);
const OUT_DIR = PORT === 4875 ? '.cache/bench-dist' : `.cache/bench-dist-${PORT}`;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Milestones of a page load, in ms since navigation, from the marks the app and runtime set. */
const PHASES = [
  ['main script', 'app:main'],
  ['worker gets load', 'worker:load'],
  ['model files read', 'ort:files'],
  ['ORT imported', 'ort:import'],
  ['sessions open (ORT init)', 'ort:sessions'],
  ['sessions warmed up', 'ort:warm'],
  ['pair loaded', 'worker:load:done'],
  ['sample request starts', 'worker:run'],
  ['first sample computed', 'worker:run:done'],
] as const;

interface Load {
  /** Navigation to the first sample on screen. */
  ms: number;
  /** PHASES' marks on the page's clock; the last of each name (both models set the ort:* ones). */
  marks: Record<string, number>;
}

async function firstSample(page: Page, url: string): Promise<Load> {
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sample-status]')?.getAttribute('data-nfe'),
    undefined,
    { timeout: 120_000, polling: 10 },
  );
  const ms = await page.evaluate(() => performance.now());
  return { ...(await readMarks(page)), ms };
}

/** The page's and its workers' marks, on the page's clock (the last of each name). */
async function readMarks(page: Page): Promise<Load> {
  const ms = await page.evaluate(() => performance.now());
  const read = () =>
    ({
      origin: performance.timeOrigin,
      marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
    }) as const;
  const own = await page.evaluate(read);
  const marks: Record<string, number> = {};
  for (const from of [own, ...(await Promise.all(page.workers().map((w) => w.evaluate(read))))]) {
    for (const [name, t] of from.marks) {
      marks[name] = Math.max(marks[name] ?? -Infinity, from.origin - own.origin + t);
    }
  }
  return { ms, marks };
}

const idle = (page: Page, solver: string) =>
  page.waitForSelector(`[data-testid=sample-status][data-busy=false][data-solver="${solver}"]`, {
    timeout: 300_000,
    state: 'attached',
  });

/** Ms from clicking Sample to the result on screen, at the page's current settings. */
async function cleanRun(page: Page, solver: string): Promise<number> {
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('sample-button').click();
  await page.waitForSelector('[data-testid=sample-status][data-busy=true]', { state: 'attached' });
  await idle(page, solver);
  return (await page.evaluate(() => performance.now())) - t0;
}

/**
 * The sequence: a long iPNDM run, switched to Euler a quarter of a clean run in, then to
 * DPM++(2M) a quarter later; returns (last change -> final result) / one clean DPM++(2M) run.
 */
async function interaction(page: Page, root: string, query: string): Promise<number> {
  const at = (solver: string) => `${root}?${query}&solver=${solver}`;
  await page.goto(at('dpmpp-2m'));
  await idle(page, 'dpmpp-2m');
  const clean = await cleanRun(page, 'dpmpp-2m');
  await page.goto(at('ipndm'));
  await idle(page, 'ipndm');
  await page.getByTestId('sample-button').click();
  await page.waitForTimeout(clean / 4);
  await page.getByTestId('solver-select').selectOption('euler');
  await page.waitForTimeout(clean / 4);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('solver-select').selectOption('dpmpp-2m');
  await idle(page, 'dpmpp-2m');
  return ((await page.evaluate(() => performance.now())) - t0) / clean;
}

/**
 * The lab's fill time on the default pair: the page's own request-to-last-cell figure
 * (lab-grid's data-fill-ms) for a second fill, after a first one has warmed ORT up.
 */
async function labFill(
  page: Page,
  root: string,
): Promise<{ ms: number; cells: number; backend: string }> {
  const done = (seed: number) =>
    page.waitForSelector(
      `[data-testid=lab-grid][data-seed="${seed}"][data-busy=false]:not([data-fill-ms=""])`,
      { timeout: 600_000, state: 'attached' },
    );
  await page.goto(`${root}?view=lab&seed=0${WEBGPU ? '&backend=webgpu' : ''}`);
  await done(0);
  await page.getByTestId('seed-input').fill('1');
  await done(1);
  const grid = page.getByTestId('lab-grid');
  return {
    ms: Number(await grid.getAttribute('data-fill-ms')),
    cells: Number(await grid.getAttribute('data-total')),
    backend: await page.getByTestId('backend-badge').innerText(),
  };
}

/**
 * Training images/s: the Train panel's own figure (both models' images over the steps after its
 * two warm-up steps), then the Node trainer on the same config and data for as many steps.
 */
async function trainRates(
  page: Page,
  root: string,
): Promise<{ browser: number; node: number; backend: string }> {
  await page.goto(`${root}?extras=0&batch=1&backend=${WEBGPU ? 'webgpu' : 'wasm'}`);
  await page.getByTestId('train-start').click();
  const status = page.getByTestId('train-status');
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector('[data-testid=train-status]')?.getAttribute('data-step')) >= n,
    2 + TRAIN_STEPS,
    { timeout: 600_000, polling: 200 },
  );
  const browser = Number(await status.getAttribute('data-images-per-sec'));
  const backend = (await status.getAttribute('data-backend')) ?? '?';
  await page.getByTestId('train-stop').click();

  const dataset = await loadMnist();
  const open = (mode: 'qac' | 'baseline') =>
    TrainerCore.create(
      browserTrainConfig(mode, DEFAULT_BROWSER_TRAIN),
      dataset,
      undefined,
      (g, init) => TrainSession.create(g, init, { threads: 1 }),
    );
  const [qac, baseline] = [await open('qac'), await open('baseline')];
  try {
    for (let k = 0; k < 2; k++) await Promise.all([qac.trainStep(), baseline.trainStep()]);
    const t0 = performance.now();
    for (let k = 0; k < TRAIN_STEPS; k++) {
      await qac.trainStep();
      await baseline.trainStep();
    }
    const node =
      (2 * DEFAULT_BROWSER_TRAIN.batch * TRAIN_STEPS) / ((performance.now() - t0) / 1000);
    return { browser, node, backend };
  } finally {
    await Promise.all([qac.release(), baseline.release()]);
  }
}

function printTrain(r: { browser: number; node: number; backend: string }): void {
  const o = DEFAULT_BROWSER_TRAIN;
  console.log(
    `RESULT train preset=${o.preset} batch=${o.batch} backend=${r.backend} ` +
      `browser_images_per_s=${r.browser.toFixed(1)} ` +
      `node_images_per_s=${r.node.toFixed(1)} browser_over_node=${(r.browser / r.node).toFixed(2)} ` +
      `(QAC + baseline steps; load average ${loadavg()[0].toFixed(2)})`,
  );
}

/** The worker's last sample request, start to result, from its marks. */
const runMs = (l: Load) => l.marks['worker:run:done']! - l.marks['worker:run']!;

/**
 * The first-run penalty: on a fresh page (warm cache), its first sample request minus the same
 * request run again. Medians over `repeats` pages.
 */
async function firstRunPenalty(
  context: BrowserContext,
  url: string,
  repeats: number,
): Promise<{ first: number; again: number; loads: Load[] }> {
  const first: number[] = [];
  const again: number[] = [];
  const loads: Load[] = [];
  for (let r = 0; r < repeats; r++) {
    const page = await context.newPage();
    loads.push(await firstSample(page, url));
    first.push(runMs(loads.at(-1)!));
    await idle(page, 'ipndm');
    await cleanRun(page, 'ipndm');
    again.push(runMs(await readMarks(page)));
    await page.close();
  }
  // Page by page: a penalty that shrank on later pages would show V8 reusing cached wasm code.
  const ms = (v: number[]) => v.map((x) => x.toFixed(0)).join(', ');
  console.log(`first sample request, page by page: ${ms(first)} ms; run again: ${ms(again)} ms`);
  return { first: median(first), again: median(again), loads };
}

/** The app's Measure figures, `repeats` times on the page's current settings. */
async function measured(page: Page, repeats: number) {
  const ratios: number[] = [];
  const appRatios: number[] = [];
  const calls: number[] = [];
  const own: number[] = [];
  const timing = page.getByTestId('timing');
  for (let r = 0; r < repeats; r++) {
    await page.getByTestId('measure-button').click();
    // The click clears the last figures; wait for that so they are not read again.
    await timing.waitFor({ state: 'detached', timeout: 10_000 });
    await timing.waitFor({ timeout: 300_000 });
    ratios.push(Number(await timing.getAttribute('data-ratio')));
    appRatios.push(Number(await timing.getAttribute('data-app-ratio')));
    calls.push(Number(await timing.getAttribute('data-call-ms')));
    own.push(Number(await timing.getAttribute('data-own-ms')));
  }
  return { ratios, appRatios, calls, own };
}

/** The default pair's QAC model folder, the one the app samples at its default settings. */
async function defaultQac(models: string): Promise<string> {
  const path = `${models}/catalog.json`;
  const catalog = parseCatalog(await readFile(path, 'utf8'), path);
  const pair = catalog.pairs.find((p) => p.id === catalog.default) ?? catalog.pairs[0]!;
  return `${models}/${pair.qac}`;
}

/** The app's warm ms per call next to onnxruntime-node's: same model, batch and threads. */
async function printCpuCall(
  appMs: number,
  badge: string,
  models: string,
  penalty: { first: number; again: number },
): Promise<void> {
  const threads = Number(/wasm, (\d+) thread/.exec(badge)?.[1] ?? NaN);
  if (!Number.isInteger(threads)) throw new Error(`the app does not run on wasm here: "${badge}"`);
  const dir = await defaultQac(models);
  const model = await loadModelNode(dir, { threads });
  const node = await denoiserCallMs(model, BATCH).finally(() => model.dispose());
  console.log(
    `RESULT cpu_call model=${dir} batch=${BATCH} threads=${threads} app_ms=${appMs.toFixed(2)} ` +
      `node_ms=${node.ms.toFixed(2)} app_over_node=${(appMs / node.ms).toFixed(2)} (target <= 2.5) ` +
      `first_run_penalty_ms=${(penalty.first - penalty.again).toFixed(0)} (target <= 500; first ` +
      `${penalty.first.toFixed(0)}, again ${penalty.again.toFixed(0)}) ` +
      `(load average ${loadavg()[0].toFixed(2)})`,
  );
}

function printPhases(loads: Load[]): void {
  console.log('where the warm-cache time goes (median ms since navigation):');
  for (const [label, name] of PHASES) {
    const at = loads.map((l) => l.marks[name]).filter((t) => t !== undefined);
    if (at.length > 0) console.log(`  ${label.padEnd(26)} ${median(at).toFixed(0).padStart(6)}`);
  }
  console.log(
    `  ${'first sample on screen'.padEnd(26)} ${median(loads.map((l) => l.ms))
      .toFixed(0)
      .padStart(6)}`,
  );
}

async function main() {
  const at = args.indexOf('--models');
  let models = at >= 0 ? args[at + 1] : 'models';
  if (!existsSync(`${models}/catalog.json`)) {
    models = '.cache/bench-models';
    execFileSync('npx', ['tsx', 'e2e/fixtures/build-models.ts', models], { stdio: 'inherit' });
  }
  process.env.QAC_MODELS_DIR = models;
  await build({ logLevel: 'warn', build: { outDir: OUT_DIR } });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { port: PORT, strictPort: true },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(WEBGPU ? ['--enable-unsafe-webgpu'] : [])],
  });
  try {
    const context = await browser.newContext();
    const root = `http://localhost:${PORT}/`;
    const printLab = (lab: { ms: number; cells: number; backend: string }) =>
      console.log(
        `lab_fill_ms=${lab.ms.toFixed(0)} (${models} default pair, ${lab.cells} cells, ` +
          `${lab.backend}; load average ${loadavg()[0].toFixed(2)})`,
      );
    if (LAB_ONLY) {
      printLab(await labFill(await context.newPage(), root));
      return;
    }
    if (TRAIN_ONLY) {
      printTrain(await trainRates(await context.newPage(), root));
      return;
    }
    // No NFE sweep or code gallery after the sample: the measurement need not wait for them.
    const query = `?solver=ipndm&afs=0&nfe=${NFE}&batch=${BATCH}&seed=0&extras=0${WEBGPU ? '&backend=webgpu' : ''}`;
    const url = `${root}${query}`;
    if (CALL_ONLY) {
      const penalty = await firstRunPenalty(context, url, REPEATS);
      printPhases(penalty.loads);
      const page = await context.newPage();
      await firstSample(page, url);
      await idle(page, 'ipndm');
      const { calls } = await measured(page, REPEATS);
      const badge = await page.getByTestId('backend-badge').innerText();
      await printCpuCall(median(calls), badge, models, penalty);
      return;
    }
    // Page load as a visitor opens it: the app's default settings.
    const home = WEBGPU ? `${root}?backend=webgpu` : root;
    const cold = await context.newPage();
    const coldMs = (await firstSample(cold, home)).ms;
    const badge = await cold.getByTestId('backend-badge').innerText();
    const shown = await cold.getByTestId('sample-status').innerText();
    await cold.close();

    const loads: Load[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const page = await context.newPage();
      loads.push(await firstSample(page, home));
      await page.close();
    }
    const warm = loads.map((l) => l.ms);

    const page = await context.newPage();
    await firstSample(page, url);
    await page.waitForSelector('[data-testid=sample-status][data-busy=false]', {
      timeout: 120_000,
    });
    const { ratios, appRatios, calls, own } = await measured(page, REPEATS);
    const interactions: number[] = [];
    const interactive = 'extras=0&nfe=50&batch=16&seed=3&afs=0' + (WEBGPU ? '&backend=webgpu' : '');
    for (let r = 0; r < REPEATS; r++) interactions.push(await interaction(page, root, interactive));
    const lab = await labFill(page, root);
    const list = (v: number[]) => v.map((r) => r.toFixed(3)).join(', ');
    console.log(`backend: ${badge}`);
    console.log(
      `models: ${models}, iPNDM, NFE ${NFE}, batch ${BATCH}, ${REPEATS} repeats; ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} (${availableParallelism()} cores)`,
    );
    console.log(`one denoiser call (median): ${median(calls).toFixed(2)} ms`);
    console.log(`sampler overhead ratios (sampler alone): ${list(ratios)}`);
    console.log(
      `sampler's own time in a run (outside the calls, median): ${median(own).toFixed(2)} ms ` +
        `= ${((100 * median(own)) / (NFE * median(calls))).toFixed(1)}% of ${NFE} calls`,
    );
    console.log(`overhead ratios of the app's run (intermediates recorded): ${list(appRatios)}`);
    console.log(`first sample at the default settings: ${shown}`);
    console.log(
      `interaction ratios (NFE 50, batch 16; two solver changes mid-run): ${list(interactions)}`,
    );
    console.log(`first sample, cold cache: ${coldMs.toFixed(0)} ms`);
    printPhases(loads);
    console.log(`first sample, warm cache: ${warm.map((m) => m.toFixed(0)).join(', ')} ms`);
    console.log(
      `RESULT browser overhead_ratio=${median(ratios).toFixed(3)} (target <= 1.10) ` +
        `app_run_ratio=${median(appRatios).toFixed(3)} ` +
        `first_sample_warm_ms=${median(warm).toFixed(0)} (target <= 3000) ` +
        `interaction_ratio=${median(interactions).toFixed(2)} (target <= 1.2)`,
    );
    printLab(lab);
    if (!WEBGPU)
      await printCpuCall(
        median(calls),
        badge,
        models,
        await firstRunPenalty(context, url, REPEATS),
      );
    printTrain(await trainRates(await context.newPage(), root));
  } finally {
    await browser.close();
    await new Promise<void>((ok) => server.httpServer.close(() => ok()));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
