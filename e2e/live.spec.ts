import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadModelNode } from '../src/runtime/node';
import { sampleModel } from '../src/runtime/sample';
import { parseNpy, pixels, sampled } from './helpers';

const MODELS = process.env.E2E_MODELS_DIR ?? '.cache/e2e-models';
// On the fixtures, runs change mid-way on the slow pair (real models are slow enough as they are).
const SLOW = process.env.E2E_MODELS_DIR ? '' : '&pair=shapes-slow';
// A long run: seconds on the slow fixture; on real models a smaller one keeps the test in time.
const LONG = process.env.E2E_MODELS_DIR ? { nfe: 30, batch: 4 } : { nfe: 50, batch: 16 };

/**
 * Records, at every animation frame, what the status line claims against what the controls say,
 * so a test can check that the page never called a result final while it was someone else's.
 */
async function watchStatus(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __polls: [string, string, string, string][] };
    w.__polls = [];
    const poll = () => {
      const s = document.querySelector('[data-testid=sample-status]');
      const select = document.querySelector<HTMLSelectElement>('[data-testid=solver-select]');
      const slider = document.querySelector<HTMLInputElement>('[data-testid=nfe-slider]');
      if (s && select && slider) {
        w.__polls.push([
          s.getAttribute('data-busy') ?? '',
          `${s.getAttribute('data-solver')}/${s.getAttribute('data-nfe')}`,
          `${select.value}/${slider.value}`,
          s.getAttribute('data-seed') ?? '',
        ]);
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

async function idleWhileStale(page: Page): Promise<string[]> {
  const polls = await page.evaluate(
    () => (window as unknown as { __polls: [string, string, string, string][] }).__polls,
  );
  expect(polls.length).toBeGreaterThan(10);
  return polls
    .filter(([busy, shown, selected]) => busy === 'false' && shown !== selected)
    .map(([, shown, selected]) => `idle showing ${shown} while ${selected} is selected`);
}

/** The final grids equal, pixel for pixel, a fresh page opened at the final URL. */
async function matchesFreshPage(page: Page): Promise<void> {
  const qac = await pixels(page, 'grid-qac');
  const base = await pixels(page, 'grid-baseline');
  const fresh = await page.context().newPage();
  await fresh.goto(page.url());
  const status = page.getByTestId('sample-status');
  await sampled(fresh, {
    solver: (await status.getAttribute('data-solver'))!,
    nfe: (await status.getAttribute('data-nfe'))!,
  });
  expect(await pixels(fresh, 'grid-qac')).toEqual(qac);
  expect(await pixels(fresh, 'grid-baseline')).toEqual(base);
  await fresh.close();
}

test.beforeEach(async ({ page }) => {
  await watchStatus(page);
});

test('switching the solver twice mid-run never shows a superseded result as final', async ({
  page,
}) => {
  await page.goto(`./?extras=0&nfe=${LONG.nfe}&batch=${LONG.batch}&solver=ipndm&seed=3${SLOW}`);
  await sampled(page, { solver: 'ipndm', nfe: LONG.nfe });
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('sample-status')).toHaveAttribute('data-busy', 'true');
  await page.getByTestId('solver-select').selectOption('euler');
  await page.waitForTimeout(150);
  await page.getByTestId('solver-select').selectOption('dpmpp-2m');
  await sampled(page, { solver: 'dpmpp-2m', nfe: LONG.nfe });
  expect(await idleWhileStale(page)).toEqual([]);
  await matchesFreshPage(page);
});

test('dragging the NFE slider through 10 values in a second ends on the last one', async ({
  page,
}) => {
  await page.goto(`./?extras=1&nfe=20&batch=8&solver=euler&afs=0&seed=9${SLOW}`);
  await sampled(page, { nfe: 20 });
  const slider = page.getByTestId('nfe-slider');
  await slider.focus();
  for (let k = 0; k < 10; k++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(100);
  }
  await sampled(page, { nfe: 30 });
  expect(await idleWhileStale(page)).toEqual([]);
  // The sweep and the gallery say which run they belong to, and it is the final one.
  await expect(page.getByTestId('sweep-settings')).toHaveAttribute('data-solver', 'euler');
  await expect(page.getByTestId('gallery-settings')).toHaveText(/euler, NFE 30, seed 9/);
  await matchesFreshPage(page);
});

test('switching pairs during a run shows the last pair, its samples and its examples', async ({
  page,
}) => {
  await page.goto(`./?extras=1&nfe=41&batch=16&solver=heun&afs=0&seed=1${SLOW}`);
  await sampled(page, { solver: 'heun' });
  const select = page.getByTestId('model-select');
  const start = await select.inputValue();
  const pairs = (
    await select.locator('option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))
  ).filter((p) => p !== start);
  expect(pairs.length).toBeGreaterThan(0);
  await page.getByTestId('seed-input').fill('2');
  const last = pairs[pairs.length - 1];
  for (const p of [last, start, last]) {
    await select.selectOption(p);
    await page.waitForTimeout(200);
  }
  await sampled(page, { seed: 2 });
  await expect(page.getByTestId('edit-input')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('input-error')).toHaveCount(0);
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  expect(page.url()).toContain(`pair=${last}`);
  await matchesFreshPage(page);
});

test('out-of-range URL values clamp to the nearest allowed value and say so', async ({ page }) => {
  await page.goto('./?solver=euler&afs=0&nfe=99999&batch=100000&editSteps=1e9&editExample=999');
  await sampled(page, { nfe: 50 });
  const notice = page.getByTestId('settings-notice');
  await expect(notice).toContainText('nfe 99999 is above the maximum 50; using 50');
  await expect(notice).toContainText('batch 100000 is above the maximum 16; using 16');
  await expect(notice).toContainText('editSteps 1000000000 is above the maximum 100; using 100');
  await expect(notice).toContainText(/editExample 999 is past the last of \d+ examples/);
  expect(page.url()).toContain('batch=16');
  expect(page.url()).toContain('editSteps=100');
});

test('the browser run plan equals the Node one: sigmas, codes and x_T exactly, samples to 1e-5', async ({
  page,
}) => {
  const settings = { solver: 'dpmpp-2m', nfe: 7, batch: 3, seed: 17 } as const;
  await page.goto(
    `./?extras=0&solver=${settings.solver}&nfe=${settings.nfe}&batch=${settings.batch}` +
      `&seed=${settings.seed}&gridEnd=sigmaMin&afs=0&backend=wasm`,
  );
  await sampled(page, { seed: settings.seed, nfe: settings.nfe });
  const codes = (await page.getByTestId('sample-status').getAttribute('data-codes'))!
    .split(',')
    .map(Number);
  const sigmas = JSON.parse((await page.getByTestId('filmstrip').getAttribute('data-sigmas'))!);
  // One download at a time: two waiting at once would both see the first.
  const save = async (id: string) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    return parseNpy(await readFile((await dl.path())!));
  };
  const batches = await save('download-npy');
  const trajectory = await save('download-trajectory');

  const catalog = JSON.parse(await readFile(join(MODELS, 'catalog.json'), 'utf8'));
  const pair = catalog.pairs.find((p: { id: string }) => p.id === catalog.default);
  const [qac, baseline] = await Promise.all(
    [pair.qac, pair.baseline].map((name: string) => loadModelNode(join(MODELS, name))),
  );
  const opts = { ...settings, afs: false, end: 'sigmaMin' as const };
  const q = await sampleModel(qac, opts);
  const b = await sampleModel(baseline, opts);
  expect(codes).toEqual(q.codes);
  expect(sigmas).toEqual(q.sigmas);
  expect(trajectory.data.subarray(0, qac.imageSize)).toEqual(q.xT.subarray(0, qac.imageSize));
  const n = q.x.length;
  // Two ORT builds (wasm and native) round differently: 1e-5 of the samples' own scale.
  const worst = (got: Float32Array, want: Float32Array) =>
    got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0) /
    Math.max(1, ...want.map(Math.abs));
  expect(worst(batches.data.subarray(0, n), q.x)).toBeLessThan(1e-5);
  expect(worst(batches.data.subarray(n), b.x)).toBeLessThan(1e-5);
  await Promise.all([qac.dispose(), baseline.dispose()]);
});
