import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parseNpy, sampled } from './helpers';

// WebGPU here is SwiftShader, 30-100x slower than wasm: keep to batch 1 and NFE <= 3.
const PARAMS = 'batch=1&nfe=3&solver=ipndm&afs=1&seed=7&code=3&extras=0';

async function samplesFrom(page: Page): Promise<Float32Array> {
  await sampled(page, { nfe: 3, seed: 7 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-npy').click(),
  ]);
  const npy = parseNpy(await readFile(await download.path()));
  expect(npy.shape.slice(0, 2)).toEqual([2, 1]);
  return npy.data;
}

test('a WebGPU sample matches the wasm one within 1e-3', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`./?${PARAMS}&backend=webgpu`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 60_000,
  });
  const gpu = await samplesFrom(page);

  await page.goto(`./?${PARAMS}&backend=wasm`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
  const cpu = await samplesFrom(page);

  expect(gpu.length).toBe(cpu.length);
  let worst = 0;
  for (let i = 0; i < gpu.length; i++) worst = Math.max(worst, Math.abs(gpu[i] - cpu[i]));
  expect(worst).toBeLessThan(1e-3);
});
