// A Chromium page that runs ONNX models on onnxruntime-web's WebGPU and wasm EPs side by side and
// compares their outputs there (only the comparison comes back: a probed step graph has thousands
// of outputs). Models, feeds and ORT's own files (from node_modules) are served from memory under
// a localhost origin, a secure context, so navigator.gpu is there with `--enable-unsafe-webgpu`.
// Used by e2e/step-webgpu.spec.ts and bench/webgpu-bisect.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

// The package exports no package.json; its wasm-only entry point sits in dist/ with the rest.
const ORT_DIR = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/wasm'));

/** A float32 graph input: its slice of the case's feeds blob. */
interface Feed {
  name: string;
  dims: number[];
  offset: number;
  length: number;
}

/** A model and its inputs, packed for the page. */
export interface Case {
  model: Uint8Array;
  feeds: Feed[];
  blob: Uint8Array;
}

/**
 * The onnxruntime-web bundle a page runs: the app's (the native WebGPU EP, its JSPI build where the
 * browser has JSPI, else its asyncify build: src/runtime/web/ort.ts), one of those two by name, or
 * JSEP, the JavaScript WebGPU EP the app ran before, kept for comparisons.
 */
export type PageBuild = 'app' | 'jspi' | 'asyncify' | 'jsep';

/** The bundle file of a build, in a page where JSPI is `jspi`. */
function bundleOf(build: PageBuild, jspi: boolean): string {
  if (build === 'jsep') return 'ort.bundle.min.mjs';
  return build === 'jspi' || (build === 'app' && jspi)
    ? 'ort.jspi.bundle.min.mjs'
    : 'ort.webgpu.bundle.min.mjs';
}

/** One output's agreement between the two EPs. */
export interface Agreement {
  name: string;
  maxDiff: number;
  /** The wasm value's largest magnitude. */
  scale: number;
  /** Non-finite values in the WebGPU output. */
  nonFinite: number;
  length: number;
}

/** Packs named float32 values in the model's input order. */
export function packCase(
  model: Uint8Array,
  inputs: readonly { name: string; dims: number[] }[],
  values: ReadonlyMap<string, Float32Array>,
): Case {
  const feeds: Feed[] = [];
  let offset = 0;
  for (const { name, dims } of inputs) {
    const v = values.get(name);
    if (!v) throw new Error(`no value for graph input '${name}'`);
    feeds.push({ name, dims, offset, length: v.length });
    offset += v.byteLength;
  }
  const blob = new Uint8Array(offset);
  for (const f of feeds) blob.set(new Uint8Array(values.get(f.name)!.buffer), f.offset);
  return { model, feeds, blob };
}

export class EpPage {
  /** WebGPU validation errors the page reported (first line of each, deduplicated). */
  readonly gpuErrors = new Set<string>();
  private readonly cases = new Map<string, Case>();

  private constructor(
    private readonly page: Page,
    private readonly browser: Browser | null,
  ) {}

  /** Its own Chromium with WebGPU enabled (closed by close()). */
  static async launch(port: number): Promise<EpPage> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
    });
    return EpPage.attach(await browser.newPage(), port, browser);
  }

  /** On a page of a browser started elsewhere (Playwright's fixture). */
  static async attach(page: Page, port: number, browser: Browser | null = null): Promise<EpPage> {
    const p = new EpPage(page, browser);
    p.page.on('console', (m) => {
      const text = m.text();
      if (/WGSL|WebGPU|Invalid/.test(text))
        p.gpuErrors.add(text.split('\n').slice(0, 3).join(' | '));
    });
    const origin = `http://localhost:${port}`;
    await p.page.route(`${origin}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ body: '<!doctype html>', contentType: 'text/html' });
      if (path.startsWith('/ort/')) {
        const file = join(ORT_DIR, path.slice('/ort/'.length));
        const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        return route.fulfill({ body: readFileSync(file), contentType: type });
      }
      const [, name, part] = /^\/([\w-]+)\.(onnx|bin)$/.exec(path) ?? [];
      const c = name ? p.cases.get(name) : undefined;
      if (!c) return route.fulfill({ status: 404 });
      return route.fulfill({ body: Buffer.from(part === 'onnx' ? c.model : c.blob) });
    });
    await p.page.goto(`${origin}/`);
    return p;
  }

  /** The WebGPU adapter's description, or 'none'. */
  adapter(): Promise<string> {
    return this.page.evaluate(async () => {
      type Adapter = { info?: Record<string, string>; limits: Record<string, number> };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } })
        .gpu;
      const a = await gpu?.requestAdapter();
      if (!a) return 'none';
      const { vendor, architecture, description } = a.info ?? {};
      return `${vendor} ${architecture} ${description} (maxStorageBuffersPerShaderStage ${a.limits.maxStorageBuffersPerShaderStage})`;
    });
  }

  /**
   * Runs case `name` on `ep` `repeats` times, keeping the last outputs in the page; ms per run.
   * WebGPU runs in ORT's default layout, NHWC, as the trainer opens it, unless `layout` says
   * otherwise; `build` picks the onnxruntime-web bundle.
   */
  async run(
    name: string,
    c: Case,
    ep: 'wasm' | 'webgpu',
    repeats = 1,
    layout: 'NCHW' | 'NHWC' = 'NHWC',
    build: PageBuild = 'app',
  ): Promise<number[]> {
    this.cases.set(name, c);
    const provider = ep === 'webgpu' ? { name: 'webgpu', preferredLayout: layout } : ep;
    return this.page.evaluate(
      async ({ name, provider, feeds, repeats, bundle }) => {
        const ort = await import(`/ort/${bundle}` as string);
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.wasmPaths = '/ort/';
        const bytes = new Uint8Array(await (await fetch(`/${name}.onnx`)).arrayBuffer());
        const blob = await (await fetch(`/${name}.bin`)).arrayBuffer();
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: [provider],
        });
        const inputs: Record<string, unknown> = {};
        for (const f of feeds) {
          const data = new Float32Array(blob, f.offset, f.length);
          inputs[f.name] = new ort.Tensor('float32', data, f.dims);
        }
        const times: number[] = [];
        let out: Record<string, { data: ArrayLike<number | bigint | boolean> }> = {};
        for (let k = 0; k < repeats; k++) {
          const t0 = performance.now();
          out = await session.run(inputs);
          times.push(performance.now() - t0);
        }
        const kept: Record<string, number[]> = {};
        for (const [n, t] of Object.entries(out)) kept[n] = Array.from(t.data, Number);
        const g = globalThis as unknown as { results?: Record<string, Record<string, number[]>> };
        g.results = {
          ...g.results,
          [typeof provider === 'string' ? provider : provider.name]: kept,
        };
        await session.release();
        return times;
      },
      { name, provider, feeds: c.feeds, repeats, bundle: bundleOf(build, await this.jspi()) },
    );
  }

  /** Whether the page's wasm has JSPI (WebAssembly.Suspending). */
  jspi(): Promise<boolean> {
    return this.page.evaluate(() => 'Suspending' in WebAssembly);
  }

  /** Compares the last wasm and WebGPU outputs, output by output. */
  compare(): Promise<Agreement[]> {
    return this.page.evaluate(() => {
      const r = (globalThis as unknown as { results: Record<string, Record<string, number[]>> })
        .results;
      const out: Agreement[] = [];
      for (const [name, a] of Object.entries(r.wasm!)) {
        const b = r.webgpu![name] ?? [];
        let maxDiff = a.length === b.length ? 0 : Infinity;
        let scale = 0;
        let nonFinite = 0;
        for (let i = 0; i < a.length; i++) {
          if (!Number.isFinite(b[i])) nonFinite++;
          scale = Math.max(scale, Math.abs(a[i]!));
          const d = Math.abs(a[i]! - b[i]!);
          // NaN: equal only when both are the same non-finite value.
          if (!Number.isNaN(d)) maxDiff = Math.max(maxDiff, d);
          else if (!Object.is(a[i], b[i])) maxDiff = Infinity;
        }
        out.push({ name, maxDiff, scale, nonFinite, length: a.length });
      }
      return out;
    });
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }
}
