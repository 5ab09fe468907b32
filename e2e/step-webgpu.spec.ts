// Training on WebGPU (SwiftShader here, 30-100x slower than wasm: one tiny step per test), on
// ORT's native WebGPU EP, the app's (src/runtime/web/ort.ts).
// 1. The step graph alone on onnxruntime-web's WebGPU and wasm EPs, same inputs: loss, gradient
//    norm and every updated parameter and Adam moment agree within 1e-3 of their scale.
// 2. The Train panel on ?backend=webgpu trains there (data-backend) and its losses equal the
//    Node trainer's within 1e-3.
// 3. The op forms behind the trainer's WebGPU workarounds: the im2col conv that made it ask JSEP
//    for NCHW is right in NHWC now (so it no longer asks), while the Split of a whole model's
//    tensors still fails on the native EP (so Adam keeps its groups of ADAM_GROUP).
import { expect, test } from '@playwright/test';
import { browserTrainConfig, DEFAULT_BROWSER_TRAIN } from '../src/app/training/config';
import { ADAM_GROUP } from '../src/graph';
import { TrainSession } from '../src/runtime/train-session';
import { loadMnist } from '../src/train/data/mnist';
import { presetFor, trainGraph } from '../src/train/model';
import { TrainerCore } from '../src/train/trainer/trainer-core';
import { EpPage } from './ep-page';
import { joinCase, stepCase, tapsCase } from './step-case';

// Independent tests, each minutes of SwiftShader on a slow box: both workers take them.
test.describe.configure({ mode: 'parallel' });

/** Any port: ep-page answers every request itself, nothing listens there. */
const EP_PAGE_PORT = 4999;

test('one step graph run on WebGPU matches wasm within 1e-3 (loss, parameters, moments)', async ({
  page,
}) => {
  test.setTimeout(400_000);
  const ep = await EpPage.attach(page, EP_PAGE_PORT);
  expect(await ep.adapter()).not.toBe('none');
  const c = stepCase('tiny', 'qac', 2);
  const [wasmMs] = await ep.run('step', c, 'wasm');
  const [gpuMs] = await ep.run('step', c, 'webgpu');
  const outputs = await ep.compare();
  expect(ep.gpuErrors, [...ep.gpuErrors].join('\n')).toEqual(new Set());
  expect(outputs.filter((o) => o.name.endsWith('.next')).length).toBeGreaterThan(300);
  let worst = 0;
  for (const o of outputs) {
    expect(o.nonFinite, o.name).toBe(0);
    expect(o.maxDiff, `${o.name} (scale ${o.scale})`).toBeLessThanOrEqual(1e-3 * o.scale + 1e-6);
    worst = Math.max(worst, o.maxDiff / (o.scale || 1));
  }
  const loss = outputs.find((o) => o.name === 'loss')!;
  expect(loss.maxDiff).toBeLessThan(1e-3);
  console.info(
    `step graph: wasm ${wasmMs!.toFixed(0)} ms, webgpu ${gpuMs!.toFixed(0)} ms (first runs); ` +
      `worst |webgpu - wasm| / scale = ${worst.toExponential(2)}`,
  );
});

test('the Train panel trains on WebGPU: its losses equal the Node trainer within 1e-3', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const options = { ...DEFAULT_BROWSER_TRAIN, batch: 1, steps: 2 };
  await page.goto('./?nfe=3&batch=1&extras=0&backend=webgpu');
  await page.getByTestId('train-batch').fill(String(options.batch));
  await page.getByTestId('train-steps').fill(String(options.steps));
  await page.getByTestId('train-start').click();
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-phase', 'done', { timeout: 540_000 });
  await expect(status).toHaveAttribute('data-backend', 'webgpu');
  await expect(status).toContainText('on WebGPU');
  const qac = (await status.getAttribute('data-losses'))!.split(',').map(Number);
  const baseline = Number(await status.getAttribute('data-baseline-loss'));
  expect(qac).toHaveLength(options.steps);

  const dataset = await loadMnist();
  const open = (mode: 'qac' | 'baseline') =>
    TrainerCore.create(browserTrainConfig(mode, options), dataset, undefined, (g, init) =>
      TrainSession.create(g, init, { threads: 1 }),
    );
  const [nodeQac, nodeBaseline] = [await open('qac'), await open('baseline')];
  try {
    for (let k = 0; k < options.steps; k++) {
      const q = await nodeQac.trainStep();
      const b = await nodeBaseline.trainStep();
      expect(Math.abs(q.loss - qac[k]!), `QAC step ${k + 1}`).toBeLessThan(1e-3);
      if (k === options.steps - 1)
        expect(Math.abs(b.loss - baseline), 'baseline').toBeLessThan(1e-3);
    }
  } finally {
    await Promise.all([nodeQac.release(), nodeBaseline.release()]);
  }
});

test('the native EP needs no NCHW: its NHWC conv with 9 outputs per group equals wasm', async ({
  page,
}) => {
  const ep = await EpPage.attach(page, EP_PAGE_PORT);
  await ep.run('taps', tapsCase(), 'wasm');
  await ep.run('taps', tapsCase(), 'webgpu', 1, 'NHWC');
  const [y] = await ep.compare();
  expect(ep.gpuErrors, [...ep.gpuErrors].join('\n')).toEqual(new Set());
  expect(y!.scale).toBeGreaterThan(0.5);
  expect(y!.maxDiff).toBeLessThanOrEqual(1e-6);
});

test('Adam keeps groups of ADAM_GROUP: the native EP splits that many, not a whole model', async ({
  page,
}) => {
  const ep = await EpPage.attach(page, EP_PAGE_PORT);
  await ep.run('group', joinCase('Split', ADAM_GROUP), 'wasm');
  await ep.run('group', joinCase('Split', ADAM_GROUP), 'webgpu');
  for (const o of await ep.compare()) expect(o.maxDiff, o.name).toBe(0);
  // A canary: when ORT splits this many, ADAM_GROUP (src/graph/step.ts) can go.
  const whole = trainGraph(presetFor('tiny'), 'qac', 1).params.tensors.size;
  expect(whole).toBeGreaterThan(100);
  await expect(ep.run('whole', joinCase('Split', whole), 'webgpu')).rejects.toThrow(
    /Too many storage buffers in shader/,
  );
});
