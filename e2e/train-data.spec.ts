// The Train panel's data sources and options: avatars rendered in the page (Node's pixels),
// uploaded images (checked, stored with the run), bounded option fields, the loss chart, and an
// avatars export that loads in Node and in the app.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { loadModelNode } from '../src/runtime/node';
import { AVATAR_SIZE, renderInWorker } from '../src/train/data/avatars';
import { exportTrainedRun, loadPairFolder, pixels, sampled, spread } from './helpers';

test.describe.configure({ mode: 'serial' });

const status = (page: Page) => page.getByTestId('train-status');

async function open(page: Page): Promise<void> {
  await page.goto('./?nfe=3&batch=1&extras=0');
}

/** Sets the options through the fields, as a user types them. */
async function setOptions(page: Page, o: Record<string, string>): Promise<void> {
  for (const [id, v] of Object.entries(o)) {
    if (id === 'data') await page.getByTestId('train-data').selectOption(v);
    else await page.getByTestId(`train-${id}`).fill(v);
  }
}

async function finished(page: Page, phase: 'done' | 'stopped', timeout = 240_000) {
  await expect(status(page)).toHaveAttribute('data-phase', phase, { timeout });
}

/** The live sample canvas: 32x32 RGB tiles, colourful (not grey), not constant. */
async function expectRgbSample(page: Page): Promise<void> {
  const canvas = page.getByTestId('train-sample');
  await expect(canvas).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    8 * 32,
    32,
  ]);
  const px = await pixels(page, 'train-sample');
  expect(spread(px)).toBeGreaterThan(1);
  let colour = 0;
  for (let i = 0; i < px.length; i += 4) colour += Math.abs(px[i]! - px[i + 1]!);
  expect(colour / (px.length / 4), 'mean |R - G|').toBeGreaterThan(1);
}

function png(width: number, height: number, seed: number): Buffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      img.data[o] = (x * 7 + seed * 40) % 256;
      img.data[o + 1] = (y * 5 + seed * 90) % 256;
      img.data[o + 2] = ((x + y) * 3 + seed * 20) % 256;
      img.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(img);
}

const pngFile = (k: number) => ({
  name: `picture-${k}.png`,
  mimeType: 'image/png',
  buffer: png(40 + k, 48, k),
});

test('the option fields are bounded with a notice, and each source offers its presets', async ({
  page,
}) => {
  await open(page);
  await setOptions(page, { batch: '1000', steps: '0', seed: '-5', 'sample-every': '99999' });
  await expect(page.getByTestId('train-batch')).toHaveValue('64');
  await expect(page.getByTestId('train-steps')).toHaveValue('1');
  await expect(page.getByTestId('train-seed')).toHaveValue('0');
  await expect(page.getByTestId('train-sample-every')).toHaveValue('10000');
  const notice = page.getByTestId('settings-notice');
  await expect(notice).toContainText('training batch 1000 is above the maximum 64; using 64');
  await expect(notice).toContainText('training steps 0 is below the minimum 1; using 1');
  // Each source offers the presets of its own image shape.
  await setOptions(page, { data: 'avatars' });
  await expect(page.getByTestId('train-preset')).toHaveValue('tiny-rgb');
  await setOptions(page, { data: 'mnist' });
  await expect(page.getByTestId('train-preset')).toHaveValue('tiny');
  // Uploads without a pick: nothing starts, and the page says why.
  await setOptions(page, { data: 'uploads' });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-error')).toContainText('pick your images first');
  await expect(status(page)).toHaveAttribute('data-phase', 'idle');
});

test('avatars: rendered with Node pixels, a few steps train, the sample is RGB, the export loads', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await open(page);
  await setOptions(page, { data: 'avatars', steps: '3', batch: '2', 'sample-every': '3' });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-steps')).toBeDisabled();
  await expect(page.getByTestId('train-data')).toBeDisabled();
  await finished(page, 'done');

  const info = page.getByTestId('train-data-info');
  await expect(info).toHaveAttribute('data-name', 'avatars');
  await expect(info).toHaveAttribute('data-count', '1000');
  await expect(info).toHaveAttribute('data-shape', '3x32x32');
  // The first training images are seeds default-0..7: exactly the Node renderer's pixels.
  const node = await renderInWorker({ set: 'default', from: 0, to: 8 });
  const preview = await pixels(page, 'train-data-preview');
  const width = 8 * AVATAR_SIZE;
  let worst = 0;
  for (let k = 0; k < 8; k++) {
    for (let p = 0; p < AVATAR_SIZE * AVATAR_SIZE; p++) {
      const [y, x] = [Math.floor(p / AVATAR_SIZE), p % AVATAR_SIZE];
      for (let c = 0; c < 3; c++) {
        const browser = preview[4 * (y * width + k * AVATAR_SIZE + x) + c]!;
        worst = Math.max(worst, Math.abs(browser - node[(k * AVATAR_SIZE ** 2 + p) * 3 + c]!));
      }
    }
  }
  expect(worst, 'largest byte difference to Node').toBe(0);

  const loss = Number(await status(page).getAttribute('data-loss'));
  expect(Number.isFinite(loss)).toBe(true);
  await expect(page.getByTestId('train-loss-chart')).toHaveAttribute('data-points', '3');
  await expect(page.getByTestId('train-sample-step')).toHaveAttribute('data-step', '3', {
    timeout: 120_000,
  });
  await expectRgbSample(page);

  const { dir, filename } = await exportTrainedRun(page);
  expect(filename).toBe('browser-avatars-step3.zip');
  for (const mode of ['qac', 'baseline']) {
    const folder = join(dir, `browser-avatars-tiny-rgb-${mode}`);
    const model = await loadModelNode(folder);
    expect(model.manifest.dataset).toBe('avatars');
    expect(model.manifest.image).toMatchObject({ channels: 3, height: 32, width: 32 });
    expect(model.manifest.credits).toMatch(
      /^DiceBear "Pixel Art" avatars: design by DiceBear, CC0 1\.0; code by Florian Körner, MIT \(npm @dicebear\/core@9\.\d+\.\d+, npm @dicebear\/collection@9\.\d+\.\d+, npm @resvg\/resvg-wasm@2\.6\.2\), rendered with resvg$/,
    );
    expect(model.manifest.training.config).toMatchObject({ dataset: 'avatars', limit: 1000 });
    const card = readFileSync(join(folder, 'card.md'), 'utf8');
    expect(card).toContain('DiceBear pixel-art, seeds "default-0".."default-59999"');
    expect(card).not.toContain(tmpdir());
    await model.dispose();
  }
  await loadPairFolder(
    page,
    dir,
    'browser-avatars-tiny-rgb-qac + browser-avatars-tiny-rgb-baseline',
  );
  await sampled(page, { nfe: 3 });
  expect(spread(await pixels(page, 'grid-qac'))).toBeGreaterThan(1);
});

test('uploads: bad picks say why and keep the last good one; the run resumes on its images after a reload', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await open(page);
  await setOptions(page, { data: 'uploads', steps: '40', batch: '2', 'sample-every': '5' });
  const count = page.getByTestId('train-files-count');
  const files = page.getByTestId('train-files');
  const problems = page.getByTestId('train-files-error');
  const damaged = {
    name: 'cut.png',
    mimeType: 'image/png',
    buffer: png(40, 40, 9).subarray(0, 60),
  };

  // Too few, one of them damaged: both said, nothing taken.
  await files.setInputFiles([pngFile(0), pngFile(1), damaged]);
  await expect(problems).toContainText('"cut.png" is damaged');
  await expect(problems).toContainText('needs at least 8 readable images; this pick has 2');
  await expect(count).toHaveAttribute('data-count', '0');
  // Nine good ones and the damaged one: the nine are taken, the damaged one named.
  await files.setInputFiles([...Array.from({ length: 9 }, (_, k) => pngFile(k)), damaged]);
  await expect(count).toHaveAttribute('data-count', '9');
  await expect(problems).toContainText('"cut.png" is damaged');
  // A later pick of too few keeps the nine.
  await files.setInputFiles([pngFile(0), pngFile(1)]);
  await expect(problems).toContainText('this pick has 2');
  await expect(count).toHaveAttribute('data-count', '9');

  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await status(page).getAttribute('data-step')), {
      timeout: 240_000,
    })
    .toBeGreaterThanOrEqual(2);
  await page.getByTestId('train-stop').click();
  await finished(page, 'stopped', 60_000);
  await expect(page.getByTestId('train-data-info')).toHaveAttribute('data-count', '9');
  await expect(page.getByTestId('train-data-info')).toHaveAttribute('data-name', 'folder');
  await expectRgbSample(page);
  const stoppedAt = Number(await status(page).getAttribute('data-step'));

  // After a reload the form shows the saved run's options, locked, and the start resumes it on
  // the images stored with it: no second pick.
  await page.reload();
  await expect(page.getByTestId('train-saved')).toHaveAttribute('data-step', String(stoppedAt));
  await expect(page.getByTestId('train-data')).toHaveValue('uploads');
  await expect(page.getByTestId('train-data')).toBeDisabled();
  await expect(page.getByTestId('train-steps')).toHaveValue('40');
  await page.getByTestId('train-start').click();
  await expect
    .poll(async () => Number(await status(page).getAttribute('data-step')), {
      timeout: 240_000,
    })
    .toBeGreaterThanOrEqual(stoppedAt + 1);
  await expect(status(page)).toHaveAttribute('data-resumed-from', String(stoppedAt));
  await expect(page.getByTestId('train-data-info')).toHaveAttribute('data-count', '9');
  // The chart holds the whole run, from step 1, not only this session's steps.
  expect(
    Number(await page.getByTestId('train-loss-chart').getAttribute('data-points')),
  ).toBeGreaterThan(stoppedAt);
  await page.getByTestId('train-stop').click();
  await finished(page, 'stopped', 60_000);

  // The export: Node's `folder` dataset, credited to the uploads without a file name or path.
  const { dir } = await exportTrainedRun(page);
  for (const mode of ['qac', 'baseline']) {
    const folder = join(dir, `browser-folder-tiny-rgb-${mode}`);
    const model = await loadModelNode(folder);
    expect(model.manifest.dataset).toBe('folder');
    expect(model.manifest.image).toMatchObject({ channels: 3, height: 32, width: 32 });
    expect(model.manifest.credits).toBeUndefined();
    expect(readFileSync(join(folder, 'card.md'), 'utf8')).toContain('(9 uploaded images)');
    await model.dispose();
  }
  // Discarding unlocks the form again.
  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('train-data')).toBeEnabled();
});
