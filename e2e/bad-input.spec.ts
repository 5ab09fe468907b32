// Bad input in the page: a very long link, damaged or huge uploads, and broken model files each
// get a specific message, and what was on screen stays as it was.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { hugePng } from '../test/bad-input/images';
import { startHostileServer, type HostileServer } from '../src/runtime/testing/hostile-server';
import { ensureInput, exportTrainedRun, pixels, sampled } from './helpers';

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

// Model hosts that misbehave on purpose (src/runtime/testing/hostile-server.ts): one on this
// computer under a name the page's CSP allows (another port of localhost), one under a name it
// forbids (127.0.0.2). Both serve the fixture models with CORS.
const MODELS_DIR = process.env.E2E_MODELS_DIR ?? '.cache/e2e-models';
const FAST = 'nfe=3&batch=2&seed=11&solver=euler&afs=0';

test.describe('model URLs and downloads', () => {
  let allowed: HostileServer;
  let forbidden: HostileServer;
  test.beforeAll(async () => {
    [allowed, forbidden] = await Promise.all([
      startHostileServer(MODELS_DIR),
      startHostileServer(MODELS_DIR, '127.0.0.2'),
    ]);
  });
  test.afterAll(async () => {
    await Promise.all([allowed.close(), forbidden.close()]);
  });
  test.beforeEach(() => {
    for (const s of [allowed, forbidden]) {
      s.behaviour.clear();
      s.requests.length = 0;
      s.dropped.length = 0;
      s.sent.clear();
    }
  });

  const loadError = (page: Page) => page.getByTestId('load-error');

  test('a model on a host the CSP forbids is refused by rule, and never fetched by page or worker', async ({
    page,
  }) => {
    const qac = await qacFolder(page);
    const url = `${forbidden.url}${qac}/manifest.json`;
    await page.goto(`./?${FAST}&model=${url}`);
    const pageOrigin = new URL(page.url()).origin;
    await expect(loadError(page)).toContainText(
      `this page's Content-Security-Policy refuses ${url}: connect-src allows this page's origin ` +
        `(${pageOrigin}), https:, http://localhost:* and http://127.0.0.1:*; this URL is none of them`,
    );
    // An allowed host that redirects there: the worker fetches, under the page's policy.
    allowed.behaviour.set('manifest.json', `redirect:${url}`);
    await page.goto(`./?${FAST}&model=${allowed.url}${qac}/manifest.json`);
    await expect(loadError(page)).toContainText(
      `${qac}/manifest.json: ${allowed.url}${qac}/manifest.json redirects to a URL outside this ` +
        `page's Content-Security-Policy, which blocked it: connect-src allows`,
    );
    expect(allowed.requests).toEqual([`/${qac}/manifest.json`]);
    expect(forbidden.requests).toEqual([]);
  });

  /** The default pair sampled, and its QAC grid's pixels: what must not change. */
  async function sampledDefault(page: Page): Promise<number[]> {
    await page.goto(`./?${FAST}`);
    await sampled(page, { nfe: 3, seed: 11 });
    return pixels(page, 'grid-qac');
  }

  /** Nothing changed: the same pair selected, the same pixels, no model in the link. */
  async function unchanged(page: Page, before: number[], pair: string): Promise<void> {
    await expect(page.getByTestId('model-select')).toHaveValue(pair);
    expect(new URL(page.url()).searchParams.get('model')).toBe('');
    await sampled(page, { nfe: 3, seed: 11 });
    expect(await pixels(page, 'grid-qac')).toEqual(before);
  }

  test('URLs that can never hold a model are refused by cause, and the pair stays', async ({
    page,
  }) => {
    const before = await sampledDefault(page);
    const pair = await page.getByTestId('model-select').inputValue();
    await page.getByText('Load a model', { exact: true }).click();
    const cases: [string, string][] = [
      [
        'file:///etc/passwd',
        'the file: scheme is blocked for models (file:///etc/passwd): a model folder is fetched over https:, or http: from this computer',
      ],
      ['javascript:alert(1)', 'the javascript: scheme is blocked for models (javascript:alert(1))'],
      [
        'data:application/json,{}',
        'the data: scheme is blocked for models (data:application/json,{})',
      ],
      [
        'http://[oops/m/',
        '"http://[oops/m/" is not a valid URL (absolute, or relative to this page)',
      ],
    ];
    for (const [url, message] of cases) {
      await page.getByTestId('model-url').fill(url);
      await page.getByTestId('model-load').click();
      await expect(page.getByTestId('loader-error')).toContainText(message);
      await unchanged(page, before, pair);
    }
  });

  test('redirect loops and redirects to data: or file: are named as redirects, not CORS', async ({
    page,
  }) => {
    const qac = await qacFolder(page);
    for (const behaviour of [
      'loop',
      'redirect:data:application/json,{}',
      'redirect:file:///etc/passwd',
    ] as const) {
      allowed.behaviour.set('manifest.json', behaviour);
      await page.goto(`./?${FAST}&model=${allowed.url}${qac}/manifest.json`);
      await expect(loadError(page), behaviour).toContainText(
        `${qac}/manifest.json: cannot fetch ${allowed.url}${qac}/manifest.json (Failed to fetch): ` +
          'it redirects, and the browser would not follow: a redirect loop (over 20 redirects), or ' +
          'a redirect to a URL a page may not fetch',
      );
      await expect(loadError(page)).not.toContainText('CORS');
    }
  });

  test('a 5,000-character ?model= gives a readable notice and the catalog pair', async ({
    page,
  }) => {
    const long = `http://localhost:9/${'m'.repeat(5_000 - 19)}`;
    await page.goto(`./?${FAST}&model=${encodeURIComponent(long)}`);
    await expect(page.getByTestId('settings-notice')).toContainText(
      `the model URL "${long.slice(0, 100)}… (5,000 characters)" is 5,000 characters long, over ` +
        'the 4,096 a model URL may have; showing the catalog pair instead',
    );
    await sampled(page, { nfe: 3, seed: 11 });
  });

  test('a stalled model download can be cancelled, and a newer pair does not wait for it', async ({
    page,
  }) => {
    const qac = await qacFolder(page);
    const before = await sampledDefault(page);
    const pair = await page.getByTestId('model-select').inputValue();
    allowed.behaviour.set('denoiser.onnx', 'stall');
    const stalled = `${allowed.url}${qac}/manifest.json`;
    const denoiser = `/${qac}/denoiser.onnx`;

    // Cancel, shown and enabled while loading, stops the download.
    await page.goto(`./?${FAST}&model=${stalled}`);
    await expect.poll(() => allowed.requests).toContain(denoiser);
    await expect(page.getByTestId('load-cancel')).toBeEnabled();
    await page.getByTestId('load-cancel').click();
    await expect(loadError(page)).toContainText(
      `${stalled}: loading was cancelled; no model is loaded (choose a pair, or load a model)`,
    );
    await expect.poll(() => allowed.dropped, { timeout: 8_000 }).toContain(denoiser);
    await page.getByTestId('model-select').selectOption(pair);
    await unchanged(page, before, pair);

    // A newer pair aborts the stalled download at once (the server sees the page hang up well
    // before the 15 s no-progress timeout), and loads without waiting for it.
    await page.goto(`./?${FAST}&model=${stalled}`);
    await expect.poll(() => allowed.requests.filter((r) => r === denoiser).length).toBe(2);
    await expect(page.getByTestId('load-cancel')).toBeEnabled();
    const dropped = allowed.dropped.length;
    await page.getByTestId('model-select').selectOption(pair);
    await expect.poll(() => allowed.dropped.slice(dropped), { timeout: 8_000 }).toContain(denoiser);
    await unchanged(page, before, pair);
  });

  test('a download that stalls is given up after 15 s, saying so', async ({ page }) => {
    const qac = await qacFolder(page);
    allowed.behaviour.set('denoiser.onnx', 'stall');
    await page.goto(`./?${FAST}&model=${allowed.url}${qac}/manifest.json`);
    await expect(loadError(page)).toContainText(
      new RegExp(
        `${qac}/denoiser\\.onnx: .*denoiser\\.onnx sent nothing for 15 s \\(64 of [\\d,]+ bytes received\\): ` +
          'the server stalled, so the load was given up',
      ),
      { timeout: 40_000 },
    );
  });

  test('bodies larger than the manifest says are cut off, not downloaded', async ({ page }) => {
    const qac = await qacFolder(page);
    const manifest = JSON.parse(readFileSync(`${MODELS_DIR}/${qac}/manifest.json`, 'utf8')) as {
      files: { denoiser: { bytes: number } };
    };
    const bytes = manifest.files.denoiser.bytes;
    const declared = bytes.toLocaleString('en');
    const path = `/${qac}/denoiser.onnx`;
    const url = `${allowed.url}${qac}/manifest.json`;

    allowed.behaviour.set('denoiser.onnx', 'endless');
    await page.goto(`./?${FAST}&model=${url}`);
    await expect(loadError(page)).toContainText(
      `denoiser.onnx sent more than the manifest's ${declared} bytes: stopped reading at`,
    );
    // The server sent what the socket buffers took before the page hung up: megabytes at most.
    expect(allowed.sent.get(path)!).toBeLessThan(bytes + 16 * 1024 * 1024);

    allowed.sent.clear();
    allowed.behaviour.set('denoiser.onnx', 'huge');
    await page.goto(`./?${FAST}&model=${url}`);
    await expect(loadError(page)).toContainText(
      `denoiser.onnx announces 800,000,000 bytes (Content-Length), more than the manifest's ` +
        `${declared} bytes: refused without downloading it`,
    );
    expect(allowed.sent.get(path)!).toBeLessThan(16 * 1024 * 1024);

    allowed.behaviour.set('denoiser.onnx', 'short');
    await page.goto(`./?${FAST}&model=${url}`);
    // Chromium drops what arrived of a body that ends early, so the count may be 0.
    await expect(loadError(page)).toContainText(
      new RegExp(`denoiser\\.onnx broke after [\\d,]+ bytes of the ${declared} it announced`),
    );
  });

  test('a file pick of a qac and a baseline model is refused naming the clash', async ({
    page,
  }) => {
    const before = await sampledDefault(page);
    const pair = await page.getByTestId('model-select').inputValue();
    const catalog = (await (await page.request.get('./models/catalog.json')).json()) as {
      pairs: { id: string; qac: string; baseline: string }[];
    };
    const folders = catalog.pairs.find((p) => p.id === pair)!;
    const files = [folders.qac, folders.baseline].flatMap((dir) =>
      readdirSync(`${MODELS_DIR}/${dir}`).map((name) => `${MODELS_DIR}/${dir}/${name}`),
    );
    await page.getByText('Load a model', { exact: true }).click();
    await page.getByTestId('model-file-list').setInputFiles(files);
    await expect(page.getByTestId('loader-error')).toContainText(
      'the picked files clash (2 named card.md, 2 named denoiser.onnx, 2 named manifest.json): ' +
        'a file pick carries no folders, so the files of two models cannot be told apart',
    );
    await unchanged(page, before, pair);
  });
});

// Training in the browser: one tab owns the run (a Web Lock); a failed save says what it kept.
test.describe('training runs and storage', () => {
  const status = (page: Page) => page.getByTestId('train-status');
  const step = async (page: Page) => Number(await status(page).getAttribute('data-step'));
  const atStep = (page: Page, n: number) =>
    expect.poll(() => step(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(n);
  const phase = (page: Page, p: string) =>
    expect(status(page)).toHaveAttribute('data-phase', p, { timeout: 120_000 });
  const images = Array.from({ length: 8 }, (_, k) => ({
    name: `img-${k}.png`,
    mimeType: 'image/png',
    buffer: png(40 + k, 36 + k),
  }));

  /** A run of `steps` steps of batch 1 with no live samples: the quickest steps there are. */
  async function options(page: Page, steps: number, data?: 'uploads'): Promise<void> {
    await page.goto('./?nfe=3&batch=1&extras=0');
    if (data) {
      await page.getByTestId('train-data').selectOption(data);
      await page.getByTestId('train-files').setInputFiles(images);
      await expect(page.getByTestId('train-files-count')).toHaveAttribute('data-count', '8');
    }
    await page.getByTestId('train-steps').fill(String(steps));
    await page.getByTestId('train-batch').fill('1');
    await page.getByTestId('train-sample-every').fill('0');
  }

  test("a second tab cannot start, stop or discard the first tab's uploads run, then continues it on its images", async ({
    context,
  }) => {
    test.setTimeout(420_000);
    const a = await context.newPage();
    const b = await context.newPage();
    await options(a, 200, 'uploads');
    await b.goto('./?nfe=3&batch=1&extras=0');
    await a.getByTestId('train-start').click();
    await atStep(a, 1);

    // Tab B, opened before A's first save: it sees the run and keeps its hands off.
    await expect(b.getByTestId('train-elsewhere')).toContainText(
      /A training run is going in another tab of this browser \(step \d+ of 200\)\. This tab cannot start, stop or discard it/,
    );
    await expect(b.getByTestId('train-start')).toBeDisabled();
    await expect(b.getByTestId('train-stop')).toBeDisabled();
    await expect(b.getByTestId('train-reset')).toBeDisabled();

    await a.getByTestId('train-stop').click();
    await phase(a, 'stopped');
    const stoppedA = await step(a);
    // Released: B shows the saved run (A's options, A's step) and continues it on A's images.
    await expect(b.getByTestId('train-elsewhere')).toHaveCount(0);
    await expect(b.getByTestId('train-saved')).toHaveAttribute('data-step', String(stoppedA));
    await expect(b.getByTestId('train-data')).toHaveValue('uploads');
    await b.getByTestId('train-start').click();
    await atStep(b, stoppedA + 2);
    await expect(status(b)).toHaveAttribute('data-resumed-from', String(stoppedA));
    await expect(b.getByTestId('train-data-info')).toHaveAttribute('data-count', '8');
    await expect(a.getByTestId('train-elsewhere')).toBeVisible();
    await expect(a.getByTestId('train-start')).toBeDisabled();
    await b.getByTestId('train-stop').click();
    await phase(b, 'stopped');
    const stoppedB = await step(b);

    // A continues B's steps, not its own older copy in memory.
    await expect(a.getByTestId('train-start')).toBeEnabled();
    await a.getByTestId('train-start').click();
    await atStep(a, stoppedB + 1);
    await expect(status(a)).toHaveAttribute('data-resumed-from', String(stoppedB));
    await expect(a.getByTestId('train-data-info')).toHaveAttribute('data-count', '8');
    await a.getByTestId('train-stop').click();
    await phase(a, 'stopped');
  });

  /**
   * A page whose origin may store only `quota` bytes (CDP), set before the page first writes:
   * Chromium enforces it on new records, not on the saved run rewritten in place, so the run's
   * first save is what fails.
   */
  async function withQuota(page: Page, quota: number) {
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(
      page.url() === 'about:blank' ? test.info().project.use.baseURL! : page.url(),
    ).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: quota });
    return () => cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }

  test('a save the storage quota refuses stops the run, saying that nothing of it is kept', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const restore = await withQuota(page, 150_000);
    await options(page, 30);
    await page.getByTestId('train-start').click();
    // The first save, at step 25, does not fit.
    await expect(page.getByTestId('train-error')).toHaveText(
      "Saving step 25 failed (this site's storage in the browser is full (QuotaExceededError)), " +
        'so the run stopped at step 25. Nothing of this run is saved: its 25 steps are only in ' +
        'this tab; export the models now to keep them, or free storage space and train again.',
      { timeout: 240_000 },
    );
    await phase(page, 'stopped');
    expect(await step(page)).toBe(25);
    // The 25 steps are still in the tab: the export has them.
    const { filename } = await exportTrainedRun(page);
    expect(filename).toBe('browser-mnist-step25.zip');
    // Nothing was saved, as it said: a reload offers no saved run.
    await page.reload();
    await expect(page.getByTestId('train-status')).toHaveText('Not training.');
    await expect(page.getByTestId('train-saved')).toHaveCount(0);
    await restore();
  });

  test('an uploads run whose images do not fit in storage does not start, and says so', async ({
    page,
  }) => {
    const restore = await withQuota(page, 150_000);
    await options(page, 10, 'uploads');
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('train-error')).toHaveText(
      "storing the 8 images of the run failed (this site's storage in the browser is full " +
        '(QuotaExceededError)): no run started and nothing was saved; pick fewer images, or free ' +
        'storage space',
    );
    await phase(page, 'error');
    await page.reload();
    await expect(page.getByTestId('train-saved')).toHaveCount(0);
    await restore();
  });
});
