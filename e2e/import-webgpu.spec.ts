// An imported model on WebGPU (SwiftShader here): the wrapper's int64 timestep and the network run
// in the GPU step chain and give wasm's samples, which are the exact Gaussian answer.
import { expect, test } from '@playwright/test';
import {
  exactRun,
  expectMoments,
  shownSamples,
  importedOracleFixture,
  worstDiff,
} from './imported';

// SwiftShader is 30-100x slower than wasm: a small batch, NFE 20.
const RUN = { solver: 'unipc', nfe: 20, batch: 4, seed: 5 } as const;
const SETTINGS = `solver=${RUN.solver}&nfe=${RUN.nfe}&batch=${RUN.batch}&seed=${RUN.seed}&afs=0&gridEnd=zero&extras=0`;

const fixture = importedOracleFixture();

test('an imported epsilon model samples on WebGPU, chained, as on wasm and as the exact D', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const { model, page: url } = fixture();
  const badge = page.getByTestId('backend-badge');
  await page.goto(url(SETTINGS, 'webgpu'));
  await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  const gpu = await shownSamples(page, RUN.nfe);
  // The badge names why, should the chain have fallen back to reading every step back.
  console.info(`badge: ${await badge.innerText()}`);
  await expect(badge).toHaveAttribute('data-steps', 'gpu-chained');

  await page.goto(url(SETTINGS, 'wasm'));
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  const cpu = await shownSamples(page, RUN.nfe);

  const vsWasm = worstDiff(gpu, cpu);
  const vsExact = worstDiff(gpu, await exactRun(model.manifest, RUN));
  const moments = expectMoments(gpu, model.manifest.sigmaMax);
  console.info(
    `imported on WebGPU: worst |webgpu - wasm| ${vsWasm.toExponential(2)}, |webgpu - exact D| ${vsExact.toExponential(2)}; ${moments}`,
  );
  expect(vsWasm).toBeLessThan(1e-3);
  // The nearest-timestep rounding, as on wasm (e2e/import.spec.ts).
  expect(vsExact).toBeLessThan(1.5e-2);
});
