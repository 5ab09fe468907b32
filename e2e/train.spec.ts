// Training in the browser: the Train panel's worker takes the Node trainer's steps (same config,
// data, noise and step graph) on onnxruntime-web wasm, and its loss goes down.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadModelNode } from '../src/runtime/node';
import { exportTrainedRun, loadPairFolder, pixels, sampled, spread } from './helpers';
import { TrainSession } from '../src/runtime/train-session';
import { browserTrainConfig, DEFAULT_BROWSER_TRAIN } from '../src/app/training/config';
import { loadMnist } from '../src/train/data/mnist';
import { TrainerCore } from '../src/train/trainer/trainer-core';

/** The QAC losses of every step so far, from the status line. */
async function losses(page: Page): Promise<number[]> {
  const raw = await page.getByTestId('train-status').getAttribute('data-losses');
  return raw ? raw.split(',').map(Number) : [];
}

async function waitForStep(page: Page, n: number, timeout: number): Promise<void> {
  await expect
    .poll(async () => Number(await page.getByTestId('train-status').getAttribute('data-step')), {
      timeout,
    })
    .toBeGreaterThanOrEqual(n);
}

test.describe.configure({ mode: 'serial' });

test('train-start with the defaults: the first steps equal the Node trainer within 1e-4', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('./?nfe=3&batch=1&extras=0');
  await page.getByTestId('train-start').click();
  await waitForStep(page, 2, 180_000);
  const browser = await losses(page);

  // The same two steps in Node on onnxruntime-node: same config, same digits, same noise.
  const config = browserTrainConfig('qac', DEFAULT_BROWSER_TRAIN);
  const dataset = await loadMnist();
  const node = await TrainerCore.create(config, dataset, undefined, (g, init) =>
    TrainSession.create(g, init, { threads: 1 }),
  );
  try {
    for (let k = 0; k < 2; k++) {
      const r = await node.trainStep();
      expect(Math.abs(r.loss - browser[k]!), `step ${k + 1}`).toBeLessThan(1e-4);
    }
  } finally {
    await node.release();
  }
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'stopped', {
    timeout: 60_000,
  });
});

test('50 browser steps lower the loss', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('./?nfe=3&batch=1&extras=0');
  await page.getByTestId('train-start').click();
  await waitForStep(page, 50, 540_000);
  await page.getByTestId('train-stop').click();
  const l = await losses(page);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const first = mean(l.slice(0, 10));
  const last = mean(l.slice(40, 50));
  const ips = await page.getByTestId('train-status').getAttribute('data-images-per-sec');
  console.log(`browser training: loss ${first.toFixed(4)} -> ${last.toFixed(4)}, ${ips} images/s`);
  expect(last).toBeLessThan(first);
});

test('a stopped run resumes after a reload, and its export loads in Node and in the app', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.goto('./?nfe=3&batch=1&extras=0');
  await page.getByTestId('train-start').click();
  await waitForStep(page, 6, 300_000);
  await page.getByTestId('train-stop').click();
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });
  const stoppedAt = Number(await status.getAttribute('data-step'));

  // The run was saved (IndexedDB): after a reload, start continues from where it stopped.
  await page.reload();
  await page.getByTestId('train-start').click();
  await waitForStep(page, stoppedAt + 2, 300_000);
  await expect(status).toHaveAttribute('data-resumed-from', String(stoppedAt));
  // A live sample of the EMA model comes with the first step of a session (then every 50).
  await expect(page.getByTestId('train-sample-step')).toHaveAttribute(
    'data-step',
    String(stoppedAt + 1),
    { timeout: 120_000 },
  );
  expect(spread(await pixels(page, 'train-sample'))).toBeGreaterThan(1);
  await page.getByTestId('train-stop').click();
  await expect(status).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });

  // The export: one zip with both model folders, which the Node loader (the CLIs') accepts...
  const { dir } = await exportTrainedRun(page);
  for (const mode of ['qac', 'baseline']) {
    const model = await loadModelNode(join(dir, `browser-mnist-tiny-${mode}`));
    expect(model.manifest.kind).toBe(mode);
    expect(model.manifest.training.steps).toBeGreaterThanOrEqual(stoppedAt + 2);
    await model.dispose();
  }
  // ...and so does the app's file picker (a folder holding both).
  await loadPairFolder(page, dir, 'browser-mnist-tiny-qac + browser-mnist-tiny-baseline');
  await sampled(page, { nfe: 3 });
  await expect(page.getByTestId('grid-baseline')).toBeVisible();
  expect(spread(await pixels(page, 'grid-qac'))).toBeGreaterThan(1);
});
