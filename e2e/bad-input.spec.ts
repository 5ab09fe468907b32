// Bad input in the page: a very long link, damaged or huge uploads, and broken model files each
// get a specific message, and what was on screen stays as it was.
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { hugePng } from '../test/bad-input/images';
import { ensureInput, pixels, sampled } from './helpers';

const png = (w: number, h: number) => {
  const image = new PNG({ width: w, height: h });
  image.data.fill(90);
  return PNG.sync.write(image);
};

test('a 100 kB link is served and the app samples, ignoring what it does not know', async ({
  page,
}) => {
  const response = await page.goto(`./?nfe=3&junk=${'x'.repeat(100_000)}`);
  expect(response?.status()).toBe(200);
  await sampled(page, { nfe: 3 });
});

/** Uploads `buffer` as `name` and expects `message`; the editor's input must not change. */
async function rejectedUpload(page: Page, name: string, buffer: Buffer, message: string | RegExp) {
  const before = await pixels(page, 'edit-input');
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name, mimeType: 'image/png', buffer: Buffer.from(buffer) });
  await expect(page.getByTestId('input-error')).toContainText(message);
  expect(await pixels(page, 'edit-input')).toEqual(before);
}

test('empty, truncated and 30000x30000 PNG uploads each say what is wrong', async ({ page }) => {
  await page.goto('./');
  await sampled(page);
  await ensureInput(page);
  await rejectedUpload(page, 'blank.png', Buffer.alloc(0), '"blank.png" is empty (0 bytes)');
  const whole = png(64, 64);
  await rejectedUpload(
    page,
    'cut.png',
    whole.subarray(0, whole.length / 2),
    '"cut.png" is damaged: the PNG data ends early',
  );
  await rejectedUpload(
    page,
    'huge.png',
    Buffer.from(hugePng(30_000, 30_000)),
    '"huge.png" is too large: 30000x30000 pixels',
  );
});

/** The default pair's QAC folder, from the catalog the page loads. */
async function qacFolder(page: Page): Promise<string> {
  const catalog = (await (await page.request.get('./models/catalog.json')).json()) as {
    default: string;
    pairs: { id: string; qac: string }[];
  };
  return catalog.pairs.find((p) => p.id === catalog.default)!.qac;
}

test('a broken manifest names the model folder, the file and the field', async ({ page }) => {
  const qac = await qacFolder(page);
  await page.route(`**/models/${qac}/manifest.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"format": ' }),
  );
  await page.goto('./');
  await expect(page.getByTestId('load-error')).toContainText(
    `${qac}/manifest.json: not valid JSON`,
  );
});

test('sigmaMax 1e38 in a manifest is refused at load, by model and field', async ({ page }) => {
  const qac = await qacFolder(page);
  await page.route(`**/models/${qac}/manifest.json`, async (route) => {
    const manifest = (await (await route.fetch()).json()) as Record<string, unknown>;
    await route.fulfill({ json: { ...manifest, sigmaMax: 1e38 } });
  });
  await page.goto('./');
  await expect(page.getByTestId('load-error')).toContainText(
    `${qac}/manifest.json (sigmaMax): must be at most 1000000`,
  );
});
