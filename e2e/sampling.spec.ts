import { expect, test } from '@playwright/test';
import { cspViolations, pixels, sampled, spread, watchCsp } from './helpers';

test.beforeEach(async ({ page }) => {
  await watchCsp(page);
});

test('loads, shows the backend badge and falls back to wasm saying why', async ({ page }) => {
  await page.goto('./');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  // Without --enable-unsafe-webgpu there is no WebGPU adapter here: the badge must say so.
  await expect(badge).toContainText(/wasm.*:.*(WebGPU|navigator\.gpu)/);
  await sampled(page);
  // The pair's description states each model's training length and quality, from its manifest.
  const catalog = (await (await page.request.get('./models/catalog.json')).json()) as {
    default: string;
    pairs: { id: string; qac: string; baseline: string }[];
  };
  const pair = catalog.pairs.find((p) => p.id === catalog.default)!;
  const lines = page.getByTestId('pair-quality').locator('li');
  await expect(lines).toHaveCount(2);
  for (const [i, folder] of [pair.qac, pair.baseline].entries()) {
    const m = (await (await page.request.get(`./models/${folder}/manifest.json`)).json()) as {
      kind: string;
      training: { steps: number };
    };
    const kind = m.kind === 'qac' ? 'QAC' : 'Baseline';
    await expect(lines.nth(i)).toHaveText(
      new RegExp(
        `^${kind}: ${m.training.steps.toLocaleString('en')} steps.*; (FID proxy [0-9.]+ at DPM-Solver\\+\\+\\(2M\\) NFE 20 .*|not evaluated)\\.$`,
      ),
    );
  }
  expect(await cspViolations(page)).toEqual([]);
});

test('NFE 6 gives non-blank, different images for both models', async ({ page }) => {
  await page.goto('./?nfe=6&solver=ipndm&batch=4&seed=3');
  await sampled(page, { nfe: 6, seed: 3 });
  const qac = await pixels(page, 'grid-qac');
  const base = await pixels(page, 'grid-baseline');
  expect(qac.length).toBe(base.length);
  expect(spread(qac)).toBeGreaterThan(10);
  expect(spread(base)).toBeGreaterThan(10);
  const differing = qac.filter((v, i) => v !== base[i]).length;
  expect(differing).toBeGreaterThan(qac.length / 20);
});

test('moving the NFE slider with the keyboard re-samples', async ({ page }) => {
  await page.goto('./?nfe=4&solver=euler&afs=0&seed=5');
  await sampled(page, { nfe: 4 });
  const before = await pixels(page, 'grid-qac');
  const slider = page.getByTestId('nfe-slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await sampled(page, { nfe: 5 });
  expect(page.url()).toContain('nfe=5');
  const after = await pixels(page, 'grid-qac');
  expect(after).not.toEqual(before);
});

test('the same seed reproduces identical pixels after a reload from the URL', async ({
  page,
  browser,
}) => {
  await page.goto('./?solver=dpmpp-2m&nfe=5');
  await sampled(page, { solver: 'dpmpp-2m' });
  await page.getByTestId('seed-input').fill('4242');
  await sampled(page, { seed: 4242 });
  const url = page.url();
  expect(url).toContain('seed=4242');
  const qac = await pixels(page, 'grid-qac');
  const base = await pixels(page, 'grid-baseline');

  const fresh = await browser.newPage();
  await fresh.goto(url);
  await sampled(fresh, { seed: 4242 });
  expect(await pixels(fresh, 'grid-qac')).toEqual(qac);
  expect(await pixels(fresh, 'grid-baseline')).toEqual(base);
  await fresh.close();
});

test('toggling a code bit changes the QAC sample only', async ({ page }) => {
  await page.goto('./?nfe=6&seed=11&code=5');
  await sampled(page, { code: 5 });
  const qac = await pixels(page, 'grid-qac');
  const base = await pixels(page, 'grid-baseline');
  const bit1 = page.getByTestId('code-bits').getByRole('button', { name: 'bit 1', exact: true });
  await expect(bit1).toHaveAttribute('aria-pressed', 'false');
  await bit1.click();
  await sampled(page, { code: 7 });
  await expect(bit1).toHaveAttribute('aria-pressed', 'true');
  expect(await pixels(page, 'grid-qac')).not.toEqual(qac);
  expect(await pixels(page, 'grid-baseline')).toEqual(base);
});

test('the curvature plot shows finite numbers for both models', async ({ page }) => {
  await page.goto('./?nfe=6&seed=2');
  await sampled(page);
  const plot = page.getByTestId('curvature-plot');
  await expect(plot.locator('canvas').first()).toBeVisible();
  for (const id of ['curvature-qac', 'curvature-baseline']) {
    const value = Number(await page.getByTestId(id).innerText());
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
  const cells = await plot.locator('table.numbers td').allInnerTexts();
  expect(cells.length).toBeGreaterThan(0);
  for (const c of cells) expect(Number.isFinite(Number(c))).toBe(true);
});
