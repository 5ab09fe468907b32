import type { Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { cspViolations, pixels, sampled, spread, watchCsp } from './helpers';
import { serveStatic } from './static-server';

const PREFIX = '/some/deep/sub-path/';
let server: Server;
let origin = '';

test.beforeAll(async () => {
  const s = await serveStatic('.cache/e2e-dist', PREFIX);
  server = s.server;
  origin = `http://localhost:${s.port}`;
});

test.afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

test('the built dist/ works from a sub-path of a plain static host', async ({ page }) => {
  await watchCsp(page);
  await page.goto(`${origin}${PREFIX}?nfe=3&batch=2`);
  await sampled(page, { nfe: 3 });
  expect(spread(await pixels(page, 'grid-qac'))).toBeGreaterThan(10);
  // No COOP/COEP here, so no SharedArrayBuffer: wasm must run single-threaded.
  await expect(page.getByTestId('backend-badge')).toContainText(
    '1 thread (page not cross-origin isolated)',
  );
  expect(await cspViolations(page)).toEqual([]);
});
