import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

// E2E_PORT lets two checkouts run the suite side by side.
export const PORT = Number(process.env.E2E_PORT ?? 4873);

// E2E_MODELS_DIR runs the suite on another models folder (e.g. `models` for the shipped pair);
// by default it runs on tiny fixture pairs generated first, so it needs no trained models.
const modelsDir = process.env.E2E_MODELS_DIR;
const prepare = modelsDir ? '' : 'tsx e2e/fixtures/build-models.ts .cache/e2e-models && ';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['./scripts/playwright-slowest.ts']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    trace: 'off',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  // WebGPU first: its specs are the suite's longest (SwiftShader), and started last they left the
  // other worker idle at the end.
  projects: [
    {
      name: 'webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: {
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
        },
      },
    },
    { name: 'wasm', testIgnore: /webgpu\.spec\.ts/ },
  ],
  webServer: {
    command:
      `${prepare}QAC_MODELS_DIR=${modelsDir ?? '.cache/e2e-models'} vite build --outDir .cache/e2e-dist && ` +
      `vite preview --outDir .cache/e2e-dist --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
