// The opt-in cross-origin-isolation service worker: on a plain static host (no COOP/COEP, like
// GitHub Pages) ?coi=1 reloads the page isolated, so wasm gets threads; the CSP stays intact.
import { expect, test } from '@playwright/test';
import { cspViolations, sampled, watchCsp } from './helpers';
import { staticHost } from './static-server';

const at = staticHost('/pages/qac/');

test('?coi=1 makes the page cross-origin isolated after one reload', async ({ page }) => {
  await watchCsp(page);
  await page.goto(at('?nfe=3&batch=2'));
  await sampled(page, { nfe: 3 });
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);

  // The opt-in registers the worker and reloads once; the reloaded page is isolated.
  await page.goto(at('?coi=1&nfe=3&batch=2'));
  // The reload destroys the page's context mid-poll: that reads as "not yet".
  const isolated = () => page.evaluate(() => window.crossOriginIsolated).catch(() => false);
  await expect
    .poll(isolated, {
      timeout: 30_000,
    })
    .toBe(true);
  await sampled(page, { nfe: 3 });
  await expect(page.getByTestId('backend-badge')).not.toContainText('not cross-origin isolated');
  // The headers were added by the worker, and the CSP meta tag is still the page's.
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(await cspViolations(page)).toEqual([]);

  // Remembered without the parameter; ?coi=0 turns it off again.
  await page.goto(at('?nfe=3&batch=2'));
  await expect.poll(isolated).toBe(true);
  await page.goto(at('?coi=0'));
  await expect
    .poll(() =>
      page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)),
    )
    .toBe(0);
});
