// An imported model (npm run import of a diffusers-style epsilon network) in the app on wasm: it
// loads by URL and by file pick like any model, samples the exact Gaussian answer, hides the
// QAC-only panels, and a 150 MB one loads with a progress bar and comes from the cache after.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { LAB_NFES } from '../src/app/state/lab';
import { SOLVER_NAMES } from '../src/core';
import { sampled } from './helpers';
import {
  exactRun,
  expectMoments,
  importOracle,
  shownSamples,
  importedOracleFixture,
  worstDiff,
} from './imported';

/** The network sees the nearest trained timestep's noise level, as k-diffusion's quantize. */
const NEAREST_TOLERANCE = 1.5e-2;
const RUN = { solver: 'unipc', nfe: 20, batch: 16, seed: 3 } as const;
const SETTINGS = `solver=${RUN.solver}&nfe=${RUN.nfe}&batch=${RUN.batch}&seed=${RUN.seed}&afs=0&gridEnd=zero&extras=0`;

const fixture = importedOracleFixture();

test('an imported epsilon model samples N(mu, s^2) on wasm, with no QAC-only panels', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const { model, page: url } = fixture();
  await page.goto(url(SETTINGS, 'wasm'));
  const x = await shownSamples(page, RUN.nfe);
  const worst = worstDiff(x, await exactRun(model.manifest, RUN));
  const moments = expectMoments(x, model.manifest.sigmaMax);
  console.info(`imported on wasm: worst |app - exact D| ${worst.toExponential(2)}; ${moments}`);
  expect(worst).toBeLessThan(NEAREST_TOLERANCE);

  // A baseline alone: one grid, no code picker or encoder, labelled as what it is.
  await expect(page.getByTestId('grid-baseline')).toHaveCount(0);
  await expect(page.getByTestId('code-bits')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Encode this image' })).toHaveCount(0);
  await expect(page.locator('figure', { has: page.getByTestId('grid-qac') })).toContainText(
    'Baseline (ddpm-oracle)',
  );
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  expect(errors).toEqual([]);
});

test('the lab and zero-shot editing run on an imported model alone', async ({ page }) => {
  test.setTimeout(180_000);
  const { page: url } = fixture();
  await page.goto(url(`${SETTINGS}&editMode=sr2&editSteps=10`, 'wasm'));
  await shownSamples(page, RUN.nfe);
  await page.getByRole('button', { name: 'Use first Baseline sample' }).click();
  await expect(page.getByTestId('edit-input')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('edit-run').click();
  await expect(page.getByTestId('edit-result-qac')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('edit-result-baseline')).toHaveCount(0);

  await page.getByRole('button', { name: 'Solver lab' }).click();
  const grid = page.getByTestId('lab-grid');
  const total = SOLVER_NAMES.length * LAB_NFES.length;
  await expect(grid).toHaveAttribute('data-total', String(total));
  await expect(grid).toHaveAttribute('data-filled', String(total), { timeout: 120_000 });
  // Every cell's error to the reference is a number: each solver ran on the imported model.
  const errors = await grid
    .locator('[data-error-qac]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-error-qac'))));
  expect(errors).toHaveLength(total);
  expect(errors.every((e) => Number.isFinite(e) && e >= 0)).toBe(true);
});

test('the file picker loads an imported model folder, with the same samples as its URL', async ({
  page,
}) => {
  const { model, page: url } = fixture();
  await page.goto(url(SETTINGS, 'wasm'));
  const byUrl = await shownSamples(page, RUN.nfe);
  await page.getByText('Load a model', { exact: true }).click();
  await page.getByTestId('model-files').setInputFiles(model.dir);
  await expect(page.getByTestId('model-select').locator('option:checked')).toContainText('ddpm');
  await sampled(page, { nfe: RUN.nfe, seed: RUN.seed });
  expect(worstDiff(await shownSamples(page, RUN.nfe), byUrl)).toBe(0);
});

test('a 150 MB imported model loads with its progress shown, then from the cache', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { root, host } = fixture();
  const big = await importOracle(join(root, 'ddpm-big'), 150e6);
  const bytes = big.manifest.files.denoiser.bytes;
  expect(bytes).toBeGreaterThan(150e6);
  // Every progress value the page shows, however briefly.
  await page.addInitScript(() => {
    const seen: [number, number][] = [];
    (window as unknown as { __progress: typeof seen }).__progress = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="load-progress"]');
      if (el)
        seen.push([
          Number(el.getAttribute('data-received')),
          Number(el.getAttribute('data-total')),
        ]);
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const url = `./?${SETTINGS}&model=${host.url('ddpm-big')}&backend=wasm`;
  const hits = (name: string) => host.hits.get(`/ddpm-big/${name}`);
  await page.goto(url);
  const first = await shownSamples(page, RUN.nfe);
  const progress = await page.evaluate(
    () => (window as unknown as { __progress: [number, number][] }).__progress,
  );
  expect(progress.length).toBeGreaterThan(0);
  const [, total] = progress.at(-1)!;
  expect(total).toBeGreaterThanOrEqual(bytes);
  expect(progress.some(([received]) => received > 0 && received < total)).toBe(true);
  expect(hits('denoiser.onnx')).toBe(1);

  // The second load takes the verified copy from the Cache API: the server is not asked again.
  await page.goto(url);
  const second = await shownSamples(page, RUN.nfe);
  expect(hits('denoiser.onnx')).toBe(1);
  expect(hits('manifest.json')).toBe(2);
  expect(worstDiff(second, first)).toBe(0);
  expect(worstDiff(first, await exactRun(big.manifest, RUN))).toBeLessThan(NEAREST_TOLERANCE);
});
