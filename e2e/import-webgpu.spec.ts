// An imported model on WebGPU (SwiftShader here): the wrapper's int64 timestep and the network run
// in the GPU step chain and give wasm's samples, which are the exact Gaussian answer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  exactRun,
  expectMoments,
  importOracle,
  serveModels,
  shownSamples,
  worstDiff,
  type ImportedModel,
  type ModelHost,
} from './imported';

// SwiftShader is 30-100x slower than wasm: a small batch, NFE 20.
const RUN = { solver: 'unipc', nfe: 20, batch: 4, seed: 5 } as const;
const SETTINGS = `solver=${RUN.solver}&nfe=${RUN.nfe}&batch=${RUN.batch}&seed=${RUN.seed}&afs=0&gridEnd=zero&extras=0`;

let root: string;
let model: ImportedModel;
let host: ModelHost;
test.beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-e2e-import-gpu-'));
  model = await importOracle(join(root, 'ddpm'));
  host = await serveModels(root);
});
test.afterAll(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

test('an imported epsilon model samples on WebGPU, chained, as on wasm and as the exact D', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const badge = page.getByTestId('backend-badge');
  await page.goto(`./?${SETTINGS}&model=${host.url('ddpm')}&backend=webgpu`);
  await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  const gpu = await shownSamples(page, RUN.nfe);
  await expect(badge).toHaveAttribute('data-steps', 'gpu-chained');

  await page.goto(`./?${SETTINGS}&model=${host.url('ddpm')}&backend=wasm`);
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
