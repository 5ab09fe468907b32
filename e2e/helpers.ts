import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

/** The RGBA bytes of a canvas found by its data-testid. */
export async function pixels(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('canvas has no 2d context');
    return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
  });
}

/** Waits until the grids show a finished run matching the given attributes (all work done). */
export async function sampled(
  page: Page,
  attrs: Record<string, string | number> = {},
): Promise<void> {
  const status = page.getByTestId('sample-status');
  await expect(status).toHaveAttribute('data-busy', 'false', { timeout: 60_000 });
  await expect(status).not.toHaveAttribute('data-nfe', '');
  for (const [k, v] of Object.entries(attrs)) {
    await expect(status).toHaveAttribute(`data-${k}`, String(v), { timeout: 60_000 });
  }
  await expect(status).toHaveAttribute('data-busy', 'false', { timeout: 60_000 });
}

/** Standard deviation of the RGB bytes: 0 for a blank canvas. */
export function spread(rgba: number[]): number {
  const v = rgba.filter((_, i) => i % 4 !== 3);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
}

/** Collects Content-Security-Policy violations on the page (read with cspViolations). */
export async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

/** Parses a float32 .npy file into its shape and values. */
export function parseNpy(buf: Buffer): { shape: number[]; data: Float32Array } {
  const headerLen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + headerLen).toString('latin1');
  if (!header.includes("'<f4'")) throw new Error(`not a float32 .npy: ${header}`);
  const shape = (/\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map(Number);
  const body = buf.subarray(10 + headerLen);
  const data = new Float32Array(
    body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
  );
  return { shape, data };
}

/** An editing input: the catalog's dataset example when it has some, else the first QAC sample. */
export async function ensureInput(page: Page): Promise<void> {
  const input = page.getByTestId('edit-input');
  const hasExamples = (await page.getByLabel('Dataset example').count()) > 0;
  if (!hasExamples) await page.getByRole('button', { name: 'Use first QAC sample' }).click();
  await expect(input).toHaveAttribute('data-ready', 'true');
}

/**
 * Clicks the Train panel's export and unzips the download into the test's output folder, which
 * Playwright empties on the next run (temp folders piled up in /tmp).
 */
export async function exportTrainedRun(page: Page): Promise<{ dir: string; filename: string }> {
  const download = page.waitForEvent('download');
  await page.getByTestId('train-export').click();
  const dl = await download;
  const dir = test.info().outputPath('export');
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, dl.suggestedFilename());
  await dl.saveAs(zipPath);
  execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, dir]);
  return { dir, filename: dl.suggestedFilename() };
}

/** Opens a folder holding an exported pair through "Load a model" and checks it is selected. */
export async function loadPairFolder(page: Page, dir: string, pair: string): Promise<void> {
  await page.getByText('Load a model', { exact: true }).click();
  await page.getByTestId('model-files').setInputFiles(dir);
  await expect(page.getByTestId('model-select').locator('option:checked')).toContainText(pair);
}
