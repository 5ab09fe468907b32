// Bring your own model: ?model=URL (&baseline=URL), the "Load a model" control and the file
// picker load any model folder with the shipped models' checks, and give the shipped pixels.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { pixels, sampled, spread } from './helpers';

const SETTINGS = 'nfe=3&batch=2&seed=11&solver=euler&afs=0';

interface Catalog {
  default: string;
  pairs: { id: string; qac: string; baseline: string }[];
}

/** The default pair's folders, from the catalog the page loads (fixtures or shipped models). */
async function defaultPair(page: Page): Promise<Catalog['pairs'][number]> {
  const catalog = (await (await page.request.get('./models/catalog.json')).json()) as Catalog;
  return catalog.pairs.find((p) => p.id === catalog.default)!;
}

/** The models folder on disk the server was built from (see playwright.config.ts). */
const MODELS_DIR = process.env.E2E_MODELS_DIR ?? '.cache/e2e-models';

test('a pair loaded by URL gives the built-in pair pixels, and the link reproduces it', async ({
  page,
}) => {
  const pair = await defaultPair(page);
  await page.goto(`./?${SETTINGS}`);
  await sampled(page, { nfe: 3, seed: 11 });
  const qac = await pixels(page, 'grid-qac');
  const baseline = await pixels(page, 'grid-baseline');
  expect(spread(qac)).toBeGreaterThan(10);

  // Relative to the page, as a user would link a model next to the app.
  const model = `models/${pair.qac}/manifest.json`;
  const base = `models/${pair.baseline}/manifest.json`;
  await page.goto(`./?${SETTINGS}&model=${model}&baseline=${base}`);
  await sampled(page, { nfe: 3, seed: 11 });
  expect(await pixels(page, 'grid-qac')).toEqual(qac);
  expect(await pixels(page, 'grid-baseline')).toEqual(baseline);
  // The loaded model joins the pair select, and the URL keeps it.
  await expect(page.getByTestId('model-select').locator('option:checked')).toContainText(
    'Your model',
  );
  const url = new URL(page.url());
  expect(url.searchParams.get('model')).toBe(model);
  expect(url.searchParams.get('baseline')).toBe(base);

  // Choosing the catalog pair again leaves the URL model.
  await page.getByTestId('model-select').selectOption(pair.id);
  await sampled(page, { nfe: 3, seed: 11 });
  expect(new URL(page.url()).searchParams.get('model')).toBe('');
  expect(await pixels(page, 'grid-qac')).toEqual(qac);
});

test('a QAC model alone samples in the QAC grid with no baseline beside it', async ({ page }) => {
  const pair = await defaultPair(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`./?${SETTINGS}&model=models/${pair.qac}/manifest.json`);
  await sampled(page, { nfe: 3, seed: 11 });
  expect(spread(await pixels(page, 'grid-qac'))).toBeGreaterThan(10);
  await expect(page.getByTestId('grid-baseline')).toHaveCount(0);
  await expect(page.getByTestId('curvature-qac')).toBeVisible();
  await expect(page.getByTestId('curvature-baseline')).toHaveCount(0);
  await expect(page.getByTestId('nfe-sweep').locator('tbody tr')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('the Load a model control loads a URL typed into it', async ({ page }) => {
  const pair = await defaultPair(page);
  await page.goto(`./?${SETTINGS}`);
  await sampled(page, { nfe: 3 });
  await page.getByText('Load a model', { exact: true }).click();
  await page.getByTestId('model-url').fill(`models/${pair.qac}/`);
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('grid-baseline')).toHaveCount(0);
  await sampled(page, { nfe: 3 });
  expect(new URL(page.url()).searchParams.get('model')).toBe(`models/${pair.qac}/`);
});

test('a broken model URL names the model and the file', async ({ page }) => {
  // vite preview answers a missing path with the app's page (a 404 would say "missing in").
  await page.goto(`./?${SETTINGS}&model=models/no-such-qac/manifest.json`);
  await expect(page.getByTestId('load-error')).toContainText(
    'no-such-qac/manifest.json: not valid JSON',
  );
  await expect(page.getByTestId('load-error')).toContainText('no model at this URL');
});

test('a bad field in a URL model is named by model, file and field', async ({ page }) => {
  const pair = await defaultPair(page);
  await page.route(`**/models/${pair.qac}/manifest.json`, async (route) => {
    const manifest = (await (await route.fetch()).json()) as Record<string, unknown>;
    await route.fulfill({ json: { ...manifest, sigmaMax: 1e38 } });
  });
  await page.goto(`./?${SETTINGS}&model=models/${pair.qac}/manifest.json`);
  await expect(page.getByTestId('load-error')).toContainText(
    `${pair.qac}/manifest.json (sigmaMax): must be at most 1000000`,
  );
});

test('a failed cross-origin fetch explains CORS', async ({ page }) => {
  // Port 9 (discard) refuses the connection: what a browser reports for a CORS refusal too.
  await page.goto(`./?${SETTINGS}&model=http://127.0.0.1:9/m-qac/manifest.json`);
  await expect(page.getByTestId('load-error')).toContainText('m-qac/manifest.json');
  await expect(page.getByTestId('load-error')).toContainText('CORS');
});

test('the file picker loads a model folder, with the same pixels as the URL', async ({ page }) => {
  const pair = await defaultPair(page);
  await page.goto(`./?${SETTINGS}&model=models/${pair.qac}/manifest.json`);
  await sampled(page, { nfe: 3, seed: 11 });
  const byUrl = await pixels(page, 'grid-qac');

  await page.getByText('Load a model', { exact: true }).click();
  await page.getByTestId('model-files').setInputFiles(`${MODELS_DIR}/${pair.qac}`);
  await expect(page.getByTestId('model-select').locator('option:checked')).toContainText(pair.qac);
  await sampled(page, { nfe: 3, seed: 11 });
  await expect(page.getByTestId('grid-baseline')).toHaveCount(0);
  expect(await pixels(page, 'grid-qac')).toEqual(byUrl);
});

test('picking a damaged model file names the model, the file and the field', async ({ page }) => {
  const pair = await defaultPair(page);
  await page.goto(`./?${SETTINGS}`);
  await sampled(page, { nfe: 3 });
  // The folder's files, picked one by one, with a denoiser of the wrong size.
  const dir = `${MODELS_DIR}/${pair.qac}`;
  const files = readdirSync(dir).map((name) => ({
    name,
    mimeType: 'application/octet-stream',
    buffer:
      name.endsWith('.onnx') && name.startsWith('denoiser')
        ? Buffer.from('oops')
        : readFileSync(join(dir, name)),
  }));
  await page.getByText('Load a model', { exact: true }).click();
  await page.getByTestId('model-file-list').setInputFiles(files);
  await expect(page.getByTestId('load-error')).toContainText(
    'picked/denoiser.onnx (files.denoiser.bytes)',
  );
  await expect(page.getByTestId('load-error')).not.toContainText('invalid');
});
