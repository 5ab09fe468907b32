// Imported Gaussian-oracle models for the browser tests: built with `npm run import`'s library,
// served to the page by route, and the exact answer a run of the app must give.
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { planRun, samplePlan, type SolverName } from '../src/core';
import type { Manifest } from '../src/runtime';
import { importModel } from '../src/train/import/import';
import { exactMoments, oracleModel } from '../src/train/import/oracle.testkit';
import { alphasCumprod, betasOf, discreteSigmas } from '../src/train/import/schedule';
import { parseNpy, sampled } from './helpers';

/** DDPM's schedule, as google/ddpm-cifar10-32 was trained with. */
const DDPM = { type: 'linear', betaStart: 0.0001, betaEnd: 0.02, numTrainTimesteps: 1000 } as const;
const IMAGE = { channels: 1, height: 16, width: 16 };
/** Data N(MU, S^2) per pixel, in [-1, 1]. */
const MU = 0.3;
const S = 0.4;

export interface ImportedModel {
  dir: string;
  manifest: Manifest;
}

/**
 * Imports a DDPM-style oracle (epsilon, int64 timesteps) into `dir`. `padBytes` adds an unused
 * weight to make the file that large (the 150 MB path).
 */
export async function importOracle(dir: string, padBytes = 0): Promise<ImportedModel> {
  const sigmas = discreteSigmas(alphasCumprod(betasOf(DDPM)));
  const onnx = `${dir}.onnx`;
  const spec = { prediction: 'epsilon', ...IMAGE, mu: MU, s: S, sigmas, sigmaData: 0.5 } as const;
  await writeFile(onnx, oracleModel({ ...spec, timestep: 'int64' }, { padBytes }));
  const { manifest } = await importModel({
    onnx,
    out: dir,
    betaSchedule: 'linear',
    name: 'ddpm-oracle',
    credits: 'a Gaussian oracle (e2e)',
  });
  return { dir, manifest };
}

/** A model host on another port, with CORS, counting the requests per path. */
interface ModelHost {
  /** The URL of a folder under the served root. */
  url: (folder: string) => string;
  hits: Map<string, number>;
  close: () => Promise<void>;
}

/**
 * Serves `root` over http://localhost (which the page's policy allows) with CORS and a
 * Content-Length, streamed from disk: what a static host gives a 150 MB model, which Playwright's
 * route.fulfill cannot pass through quickly.
 */
async function serveModels(root: string): Promise<ModelHost> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path));
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const headers = {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    stat(file).then(
      (s) => {
        if (!file.startsWith(root) || !s.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          ...headers,
          'Content-Type': 'application/octet-stream',
          'Content-Length': s.size,
        });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404, headers).end('not found'),
    );
  });
  const port = await new Promise<number>((ok) =>
    server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)),
  );
  return {
    url: (folder) => `http://localhost:${port}/${folder}/manifest.json`,
    hits,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** What a spec file's tests share: a temp folder, the imported oracle in it ("ddpm"), its host. */
export interface ImportedFixture {
  root: string;
  model: ImportedModel;
  host: ModelHost;
  /** The app's URL for `settings` on the oracle, on `backend`. */
  page: (settings: string, backend: 'wasm' | 'webgpu') => string;
}

/**
 * Registers the file's beforeAll/afterAll: imports the oracle once, serves the folder, removes it
 * all at the end. The returned getter is valid inside the tests.
 */
export function importedOracleFixture(): () => ImportedFixture {
  let fixture: ImportedFixture | null = null;
  test.beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'qac-e2e-import-'));
    const model = await importOracle(join(root, 'ddpm'));
    const host = await serveModels(root);
    const page = (settings: string, backend: string) =>
      `./?${settings}&model=${host.url('ddpm')}&backend=${backend}`;
    fixture = { root, model, host, page };
  });
  test.afterAll(async () => {
    if (!fixture) return;
    await fixture.host.close();
    await rm(fixture.root, { recursive: true, force: true });
  });
  return () => fixture!;
}

/** The batch on screen, from the .npy the Download button gives ([1, B, C, H, W] for one model). */
export async function shownSamples(page: Page, nfe: number): Promise<Float32Array> {
  await sampled(page, { nfe });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-npy').click(),
  ]);
  const npy = parseNpy(await readFile(await download.path()));
  expect(npy.shape[0]).toBe(1);
  return npy.data;
}

/**
 * What the app's run must give: the same plan (seeds, grid, x_T) run by core's solver on the exact
 * Gaussian denoiser D(x; sigma) = mu + (x - mu) s^2 / (s^2 + sigma^2).
 */
export async function exactRun(
  manifest: Manifest,
  s: { solver: SolverName; nfe: number; batch: number; seed: number },
): Promise<Float32Array> {
  const plan = planRun(
    {
      name: manifest.name,
      sigmaMin: manifest.sigmaMin,
      sigmaMax: manifest.sigmaMax,
      sigmaData: manifest.sigmaData,
      imageSize: IMAGE.channels * IMAGE.height * IMAGE.width,
      code: null,
    },
    { ...s, afs: false, gridEnd: 'zero', churn: 10, code: null },
  );
  const denoise = async (x: Float32Array, sigma: number) =>
    Float32Array.from(x, (v) => MU + ((v - MU) * S * S) / (S * S + sigma * sigma));
  return (await samplePlan(plan, { denoise })).x;
}

/** Largest |a - b| over two equally long arrays. */
export function worstDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * Checks the samples' mean and standard deviation against the exact ODE's (mu and s, shifted a
 * hair by starting from N(0, sigma_max^2)), within 4.5 standard errors of the sample count.
 */
export function expectMoments(x: Float32Array, sigmaMax: number): string {
  const exact = exactMoments(MU, S, sigmaMax);
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / (x.length - 1));
  const tolMean = (4.5 * exact.std) / Math.sqrt(x.length);
  const tolStd = (4.5 * exact.std) / Math.sqrt(2 * x.length);
  expect(Math.abs(mean - exact.mean)).toBeLessThan(tolMean);
  expect(Math.abs(std - exact.std)).toBeLessThan(tolStd);
  return `mean ${mean.toFixed(4)} (exact ${exact.mean.toFixed(4)} +- ${tolMean.toExponential(1)}), std ${std.toFixed(4)} (exact ${exact.std.toFixed(4)} +- ${tolStd.toExponential(1)})`;
}
