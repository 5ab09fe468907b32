import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { ensureInput, pixels, sampled } from './helpers';

test('inpainting keeps the unmasked pixels exactly', async ({ page }) => {
  await page.goto('./?editMode=inpaint&editSteps=12&editExample=2');
  await sampled(page);
  await ensureInput(page);
  // Drag a rectangle mask over the left half with the rectangle tool.
  await page.getByRole('radio', { name: 'Rectangle' }).check();
  const mask = page.getByTestId('edit-mask');
  const box = (await mask.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 4 });
  await page.mouse.up();

  const input = await pixels(page, 'edit-input');
  const overlay = await pixels(page, 'edit-mask');
  await page.getByTestId('edit-run').click();
  await expect(page.getByTestId('edit-result-qac')).toHaveAttribute('data-ready', 'true');
  const out = await pixels(page, 'edit-result-qac');
  const base = await pixels(page, 'edit-result-baseline');

  let kept = 0;
  let masked = 0;
  let changed = 0;
  for (let p = 0; p < input.length; p += 4) {
    // The overlay tints masked pixels red: the input is gray, so R != G marks the mask.
    const isMasked = overlay[p] !== overlay[p + 1];
    if (isMasked) {
      masked++;
      if (out[p] !== input[p]) changed++;
    } else {
      kept++;
      expect([out[p], out[p + 1], out[p + 2]]).toEqual([input[p], input[p + 1], input[p + 2]]);
      expect(base[p]).toBe(input[p]);
    }
  }
  expect(kept).toBeGreaterThan(0);
  expect(masked).toBeGreaterThan(0);
  expect(changed).toBeGreaterThan(0);
});

test('a non-image upload is rejected with a message', async ({ page }) => {
  await page.goto('./');
  await sampled(page);
  await page.getByTestId('upload-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('definitely not pixels'),
  });
  await expect(page.getByTestId('input-error')).toContainText('not an image');
});

test('an upload of another size is fitted with a notice', async ({ page }) => {
  await page.goto('./');
  await sampled(page);
  // A 60x40 PNG, wider than tall: it must be cropped and resized to the model's square size.
  const image = new PNG({ width: 60, height: 40 });
  image.data.fill(200);
  const png = PNG.sync.write(image);
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByTestId('input-notice')).toContainText('cropped from 60x40');
});

test('switching to an RGB pair samples it, and colorization adds colour to a gray input', async ({
  page,
}) => {
  await page.goto('./?editSteps=10');
  await sampled(page);
  const options = await page.getByTestId('model-select').locator('option').allInnerTexts();
  const rgb = options.find((o) => o.includes('RGB'));
  test.skip(!rgb, 'no RGB pair in this catalog');
  await page.getByTestId('model-select').selectOption({ label: rgb! });
  await expect(page).toHaveURL(/pair=/);
  await sampled(page);
  await page.getByTestId('edit-mode').selectOption('colorize');
  await ensureInput(page);
  await page.getByTestId('edit-run').click();
  await expect(page.getByTestId('edit-result-qac')).toHaveAttribute('data-ready', 'true');
  const given = await pixels(page, 'edit-known');
  const out = await pixels(page, 'edit-result-qac');
  const chroma = (px: number[]) => {
    let m = 0;
    for (let p = 0; p < px.length; p += 4)
      m = Math.max(m, Math.abs(px[p] - px[p + 1]), Math.abs(px[p + 1] - px[p + 2]));
    return m;
  };
  expect(chroma(given)).toBeLessThanOrEqual(2);
  expect(chroma(out)).toBeGreaterThan(20);
});

test('super-resolution x4 keeps every 4x4 block mean of the input', async ({ page }) => {
  await page.goto('./?editMode=sr4&editSteps=10&editExample=1');
  await sampled(page);
  await ensureInput(page);
  await page.getByTestId('edit-run').click();
  await expect(page.getByTestId('edit-result-qac')).toHaveAttribute('data-ready', 'true');
  const size = await page
    .getByTestId('edit-input')
    .evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
  const [w, h] = size;
  const input = await pixels(page, 'edit-input');
  const out = await pixels(page, 'edit-result-qac');
  let detail = 0;
  let checked = 0;
  for (let by = 0; by < h; by += 4) {
    for (let bx = 0; bx < w; bx += 4) {
      let a = 0;
      let b = 0;
      let clipped = false;
      for (let y = by; y < by + 4; y++) {
        for (let x = bx; x < bx + 4; x++) {
          const v = out[(y * w + x) * 4];
          a += input[(y * w + x) * 4];
          b += v;
          clipped ||= v === 0 || v === 255;
          detail += Math.abs(v - out[(by * w + bx) * 4]);
        }
      }
      // A pixel drawn at 0 or 255 may have been clipped from outside [-1, 1], which moves the
      // drawn mean; elsewhere bytes only round, by at most half a level per pixel.
      if (clipped) continue;
      checked++;
      expect(Math.abs(a - b) / 16).toBeLessThanOrEqual(0.5);
    }
  }
  expect(checked).toBeGreaterThan(2);
  expect(detail).toBeGreaterThan(0);
});
