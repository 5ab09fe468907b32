import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parseNpy, sampled } from './helpers';

// WebGPU here is SwiftShader, 30-100x slower than wasm: keep to batch 1 and NFE <= 3.
const BASE = 'batch=1&seed=7&code=3&extras=0';
const CASES = [
  { solver: 'ipndm', nfe: 3, afs: 1 },
  // Stochastic: the GPU chain takes its noise from the same per-sample streams as the CPU.
  { solver: 'euler-ancestral', nfe: 2, afs: 0 },
];

async function samplesFrom(page: Page, nfe: number): Promise<Float32Array> {
  await sampled(page, { nfe, seed: 7 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-npy').click(),
  ]);
  const npy = parseNpy(await readFile(await download.path()));
  expect(npy.shape.slice(0, 2)).toEqual([2, 1]);
  return npy.data;
}

/** The curvature table and totals: computed from the step reports the chain reads back at the end. */
async function curvature(page: Page): Promise<number[]> {
  const cells = await page
    .getByTestId('curvature-plot')
    .locator('table.numbers td')
    .allInnerTexts();
  const totals = ['curvature-qac', 'curvature-baseline'].map((id) =>
    page.getByTestId(id).innerText(),
  );
  return [...cells, ...(await Promise.all(totals))].map(Number);
}

for (const { solver, nfe, afs } of CASES) {
  test(`${solver}: a WebGPU sample, steps chained on the GPU, matches wasm within 1e-3`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const params = `${BASE}&solver=${solver}&nfe=${nfe}&afs=${afs}`;
    const badge = page.getByTestId('backend-badge');
    const wasm: string[] = [];
    page.context().on('request', (r) => {
      const file = new URL(r.url()).pathname.split('/').pop()!;
      if (file.endsWith('.wasm')) wasm.push(file);
    });
    await page.goto(`./?${params}&backend=webgpu`);
    await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
    const gpu = await samplesFrom(page, nfe);
    await expect(badge).toHaveAttribute('data-steps', 'gpu-chained');
    await expect(badge).toContainText('steps chained on GPU');
    const gpuCurvature = await curvature(page);
    // ORT's native WebGPU EP, in its JSPI build (Chromium has JSPI); never JSEP.
    expect(wasm.filter((f) => f.startsWith('ort-wasm-simd-threaded.jspi'))).not.toEqual([]);
    expect(wasm.filter((f) => /jsep|asyncify/.test(f))).toEqual([]);

    await page.goto(`./?${params}&backend=wasm`);
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    const cpu = await samplesFrom(page, nfe);
    await expect(badge).toHaveAttribute('data-steps', 'cpu');
    const cpuCurvature = await curvature(page);
    expect(gpuCurvature.length).toBe(cpuCurvature.length);
    expect(gpuCurvature.length).toBeGreaterThan(2);
    // Shown to 3 significant digits: equal up to one unit in the last (1% of the value at most).
    gpuCurvature.forEach((v, i) =>
      expect(Math.abs(v - cpuCurvature[i])).toBeLessThanOrEqual(
        0.011 * Math.abs(cpuCurvature[i]) + 1e-6,
      ),
    );

    expect(gpu.length).toBe(cpu.length);
    let worst = 0;
    for (let i = 0; i < gpu.length; i++) worst = Math.max(worst, Math.abs(gpu[i] - cpu[i]));
    console.info(`${solver}: worst |webgpu - wasm| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  });
}
