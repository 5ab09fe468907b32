import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { SOLVER_NAMES } from '../src/core';
import { filmstripGifLayout, filmstripSheetLayout, labSheetLayout } from '../src/app/images/layout';
import { LAB_NFES } from '../src/app/state/lab';
import { parseNpy, pixels, sampled } from './helpers';

const MODELS = process.env.E2E_MODELS_DIR ?? '.cache/e2e-models';

interface Shape {
  channels: number;
  height: number;
  width: number;
}

/** The image shape of the catalog's default pair, from its QAC manifest. */
async function defaultShape(): Promise<Shape> {
  const catalog = JSON.parse(await readFile(join(MODELS, 'catalog.json'), 'utf8'));
  const pair = catalog.pairs.find((p: { id: string }) => p.id === catalog.default);
  const manifest = JSON.parse(await readFile(join(MODELS, pair.qac, 'manifest.json'), 'utf8'));
  return manifest.image;
}

/** Waits until the lab grid is full and its request is done. */
async function filled(page: Page, seed?: number): Promise<void> {
  const grid = page.getByTestId('lab-grid');
  const total = SOLVER_NAMES.length * LAB_NFES.length;
  await expect(grid).toHaveAttribute('data-total', String(total));
  if (seed !== undefined) await expect(grid).toHaveAttribute('data-seed', String(seed));
  await expect(grid).toHaveAttribute('data-filled', String(total), { timeout: 120_000 });
  await expect(grid).toHaveAttribute('data-busy', 'false');
}

interface Cell {
  solver: string;
  nfe: number;
  column: number;
  seed: string;
  qac: number;
  baseline: number;
}

async function cells(page: Page): Promise<Cell[]> {
  return page.getByTestId('lab-cell').evaluateAll((els) =>
    els.map((e) => ({
      solver: e.getAttribute('data-solver') ?? '',
      nfe: Number(e.getAttribute('data-nfe')),
      column: Number(e.getAttribute('data-column')),
      seed: e.getAttribute('data-seed') ?? '',
      qac: Number(e.getAttribute('data-error-qac') || NaN),
      baseline: Number(e.getAttribute('data-error-baseline') || NaN),
    })),
  );
}

interface WorkerLabs {
  /** Lab request ids in the order the worker started them. */
  started: number[];
  done: number[];
  /** Dropped by the worker: superseded or cancelled (mid-way when they also started). */
  cancelled: number[];
  /** Sample runs started. */
  runs: number;
}

/** What the worker did with lab requests, from its performance marks (each names its request). */
async function workerLabs(page: Page): Promise<WorkerLabs> {
  const [worker] = page.workers();
  return worker.evaluate(() => {
    const ids = (name: string) =>
      performance.getEntriesByName(name).map((m) => (m as PerformanceMark).detail.id as number);
    return {
      started: ids('worker:lab'),
      done: ids('worker:lab:done'),
      cancelled: ids('worker:lab:cancelled'),
      runs: ids('worker:run').length,
    };
  });
}

async function save(page: Page, testId: string): Promise<{ dl: Download; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { dl, bytes: await readFile((await dl.path())!) };
}

/** Image 0 of a tiled canvas (the top-left W x H), as RGBA bytes. */
async function firstTile(page: Page, testId: string, s: Shape): Promise<number[]> {
  const all = await pixels(page, testId);
  const width = await page.getByTestId(testId).evaluate((c) => (c as HTMLCanvasElement).width);
  const out: number[] = [];
  for (let y = 0; y < s.height; y++)
    out.push(...all.slice(y * width * 4, (y * width + s.width) * 4));
  return out;
}

/** The W x H image at (x, y) of an RGBA picture enlarged `zoom` times, at its own size. */
function shrink(
  rgba: ArrayLike<number>,
  pictureWidth: number,
  at: { x: number; y: number },
  zoom: number,
  s: Shape,
): number[] {
  const out: number[] = [];
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const p = ((at.y + y * zoom) * pictureWidth + at.x + x * zoom) * 4;
      out.push(rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]);
    }
  }
  return out;
}

test('?view=lab opens the lab: every solver x NFE cell fills with a finite error that shrinks with NFE', async ({
  page,
}) => {
  await page.goto('./?view=lab&seed=5&gridEnd=zero&afs=0');
  await filled(page, 5);
  const all = await cells(page);
  expect(all).toHaveLength(SOLVER_NAMES.length * LAB_NFES.length);
  expect(new Set(all.map((c) => c.solver))).toEqual(new Set(SOLVER_NAMES));
  for (const c of all) {
    expect(Number.isFinite(c.qac) && Number.isFinite(c.baseline), JSON.stringify(c)).toBe(true);
    expect(c.seed).toBe('5');
  }
  // Deterministic solvers converge to the reference (DPM++(2M) at NFE 100 from the same x_T).
  for (const solver of ['euler', 'dpmpp-2m', 'heun'] as const) {
    const at = (column: number) => all.find((c) => c.solver === solver && c.column === column)!;
    for (const model of ['qac', 'baseline'] as const) {
      expect(at(20)[model], `${solver} ${model}`).toBeLessThan(at(3)[model]);
    }
  }
  // Heun spends odd NFEs only: its columns show the NFE it ran.
  expect(all.find((c) => c.solver === 'heun' && c.column === 4)!.nfe).toBe(3);
  await expect(page.getByTestId('lab-chart').locator('canvas')).toHaveCount(1);
  // The lab takes the sample's place: no sample panels, no sample run.
  await expect(page.getByTestId('grid-qac')).toHaveCount(0);
  expect(page.url()).toContain('view=lab');
  // Here the Sample button runs the lab again, rather than a sample nobody would see.
  await expect(page.getByTestId('sample-button')).toHaveText('Run the lab');
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('lab-grid')).toHaveAttribute('data-busy', 'true');
  await filled(page, 5);
  const labs = await workerLabs(page);
  expect([labs.started.length, labs.done.length, labs.runs]).toEqual([2, 2, 0]);
});

test('a newer lab supersedes the one filling in, and leaving the lab cancels it', async ({
  page,
}) => {
  await page.goto('./?view=lab&seed=1');
  const grid = page.getByTestId('lab-grid');
  await expect(grid).toHaveAttribute('data-seed', '1');
  // Mid-fill: cells are coming in and the grid is not full yet.
  await expect(grid).not.toHaveAttribute('data-filled', '0');
  await page.getByTestId('seed-input').fill('2');
  await expect(grid).toHaveAttribute('data-seed', '2');
  await page.getByTestId('seed-input').fill('3');
  await filled(page, 3);
  for (const c of await cells(page)) expect(c.seed).toBe('3');
  const labs = await workerLabs(page);
  expect(labs.started).toHaveLength(3);
  const last = labs.started[2];
  expect(labs.done).toContain(last);
  // Every superseded lab the worker had started ended either cancelled (at a denoiser call,
  // mid-way) or finished, never both; the seed-1 one was mid-fill when seed 2 came, so at least
  // one was cancelled. (Whether the seed-2 one was still filling when seed 3 came depends on the
  // machine's load, so the test does not insist on it.)
  const superseded = labs.started.slice(0, 2);
  expect(superseded.some((id) => labs.cancelled.includes(id))).toBe(true);
  for (const id of superseded) expect(labs.done.includes(id)).toBe(!labs.cancelled.includes(id));

  // Leaving the lab while it runs (its request is out: the grid names its seed) drops it, queued
  // or mid-way.
  await page.getByTestId('seed-input').fill('5');
  await expect(grid).toHaveAttribute('data-seed', '5');
  await page.getByTestId('view-sample').click();
  await sampled(page, { seed: 5 });
  expect(page.url()).toContain('view=sample');
  const after = await workerLabs(page);
  const left = Math.max(...after.started, ...after.cancelled);
  expect(left).toBeGreaterThan(last);
  expect(after.cancelled).toContain(left);
  expect(after.done).not.toContain(left);
  expect(after.runs).toBe(1);
});

test('the filmstrip exports a GIF and a PNG sheet of the steps, the trajectory as .npy', async ({
  page,
}) => {
  const shape = await defaultShape();
  await page.goto('./?extras=0&solver=euler&afs=0&nfe=6&batch=2&seed=4');
  await sampled(page, { nfe: 6, seed: 4 });
  const frames = JSON.parse((await page.getByTestId('filmstrip').getAttribute('data-sigmas'))!)
    .length as number;
  const finalQac = await firstTile(page, 'grid-qac', shape);

  const gif = await save(page, 'export-gif');
  expect(gif.dl.suggestedFilename()).toMatch(/\.gif$/);
  expect(gif.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const g = filmstripGifLayout(shape);
  expect([gif.bytes.readUInt16LE(6), gif.bytes.readUInt16LE(8)]).toEqual([g.width, g.height]);
  // Chromium decodes it: one frame per step, the last one's QAC x_t is the sample on the page.
  const decoded = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
    await decoder.tracks.ready;
    const count = decoder.tracks.selectedTrack!.frameCount;
    const { image } = await decoder.decode({ frameIndex: count - 1 });
    const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const rgba = Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
    return { count, width: canvas.width, rgba };
  }, gif.bytes.toString('base64'));
  expect(decoded.count).toBe(frames);
  expect(shrink(decoded.rgba, decoded.width, g.cell(0, 0), g.zoom, shape)).toEqual(finalQac);

  const sheet = await save(page, 'export-png-sheet');
  expect(sheet.dl.suggestedFilename()).toMatch(/\.png$/);
  expect([...sheet.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = PNG.sync.read(sheet.bytes);
  const l = filmstripSheetLayout(shape, frames);
  expect([png.width, png.height]).toEqual([l.width, l.height]);
  expect(shrink(png.data, png.width, l.cell(0, frames - 1), l.zoom, shape)).toEqual(finalQac);

  const npy = parseNpy((await save(page, 'download-trajectory')).bytes);
  expect(npy.shape).toEqual([frames, shape.channels, shape.height, shape.width]);
});

test('the lab grid exports as a PNG whose tiles are the cells on the page', async ({ page }) => {
  const shape = await defaultShape();
  await page.goto('./?view=lab&seed=8');
  await filled(page, 8);
  const { dl, bytes } = await save(page, 'export-lab-png');
  expect(dl.suggestedFilename()).toMatch(/\.png$/);
  const png = PNG.sync.read(bytes);
  const l = labSheetLayout(shape, SOLVER_NAMES.length, LAB_NFES.length);
  expect([png.width, png.height]).toEqual([l.width, l.height]);
  // Row 1, column 2's QAC and baseline tiles against that cell's canvases.
  const cell = page.getByTestId('lab-cell').nth(LAB_NFES.length + 2);
  const shown = await cell.locator('canvas').evaluateAll((cs) =>
    cs.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
    }),
  );
  const at = l.cell(1, 2);
  expect(shrink(png.data, png.width, at, l.zoom, shape)).toEqual(shown[0]);
  expect(shrink(png.data, png.width, { x: at.x + l.baselineX, y: at.y }, l.zoom, shape)).toEqual(
    shown[1],
  );
});

test('copy link puts the current view on the clipboard, or shows it where that is not allowed', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./?view=lab&seed=6');
  await expect(page.getByTestId('lab-grid')).toHaveAttribute('data-seed', '6');
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link-done')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(copied).toContain('view=lab');
  expect(copied).toContain('seed=6');

  // A page the clipboard refuses (an insecure origin, a denied permission) shows the link.
  const denied = await context.newPage();
  await denied.addInitScript(() => {
    navigator.clipboard.writeText = () =>
      Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await denied.goto('./?seed=7');
  await denied.getByTestId('copy-link').click();
  await expect(denied.getByTestId('copy-link-fallback')).toBeVisible();
  await expect(denied.getByTestId('copy-link-url')).toHaveValue(denied.url());
  await expect(denied.getByTestId('copy-link-url')).toBeFocused();
});
