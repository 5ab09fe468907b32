import { expect, test } from '@playwright/test';
import { cspViolations, pixels, sampled, spread, watchCsp } from './helpers';
import { staticHost } from './static-server';

const at = staticHost('/some/deep/sub-path/');

test('the built dist/ works from a sub-path of a plain static host', async ({ page }) => {
  await watchCsp(page);
  await page.goto(at('?nfe=3&batch=2'));
  await sampled(page, { nfe: 3 });
  expect(spread(await pixels(page, 'grid-qac'))).toBeGreaterThan(10);
  // No COOP/COEP here, so no SharedArrayBuffer: wasm must run single-threaded.
  await expect(page.getByTestId('backend-badge')).toContainText(
    '1 thread (page not cross-origin isolated)',
  );
  expect(await cspViolations(page)).toEqual([]);
});
