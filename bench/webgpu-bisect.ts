/**
 * Where does the browser trainer's step graph go wrong on onnxruntime-web's WebGPU EP (the app's
 * native one; `--build jsep` for the JavaScript one it ran before)? Runs it on
 * WebGPU and on wasm in real Chromium (`--enable-unsafe-webgpu`; SwiftShader where there is no
 * GPU) on the same inputs and compares:
 * 1. the step as the trainer runs it: loss, gradient norm, every updated state tensor, step times;
 * 2. the same graph with every node's output also a graph output: the nodes that differ while
 *    their own inputs agree, in graph order (a kernel that fails to compile voids the command
 *    buffer it was queued in, so nodes batched with it read back unwritten buffers too: read the
 *    WebGPU errors printed first);
 * 3. the op forms found wrong here, alone: a depthwise conv with 9 outputs per group (the im2col
 *    of grad/conv-weight.ts) in NHWC, the layout ORT runs convs in on WebGPU by default (JSEP got
 *    it wrong), and in NCHW; Concat and Split of ADAM_GROUP and of 128 tensors (JSEP: WGSL's
 *    127-deep `else if` limit; the native EP: Split's storage buffers per shader).
 *
 * Usage: npx tsx bench/webgpu-bisect.ts [--batch 2] [--mode qac|baseline] [--preset tiny]
 *        [--layout NCHW|NHWC] (WebGPU's conv layout for the step graph, default NHWC, ORT's)
 *        [--build app|jsep] (the onnxruntime-web bundle, default the app's: e2e/ep-page.ts)
 *        [--port 4876] [--all] (every differing node, not only the first ten)
 */
import onnxProto from 'onnx-proto';
import { ADAM_GROUP } from '../src/graph';
import type { Mode } from '../src/train/model';
import { EpPage, type Agreement, type Case, type PageBuild } from '../e2e/ep-page';
import { joinCase, stepCase, tapsCase } from '../e2e/step-case';

const pb = onnxProto.onnx;
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const BATCH = Number(opt('batch', '2'));
const MODE = opt('mode', 'qac') as Mode;
const PRESET = opt('preset', 'tiny') as 'tiny' | 'mnist';
const PORT = Number(opt('port', '4876'));
const ALL = args.includes('--all');
/** WebGPU's conv layout for the step graph (the trainer's is ORT's default, NHWC). */
const LAYOUT = opt('layout', 'NHWC') as 'NCHW' | 'NHWC';
const BUILD = opt('build', 'app') as PageBuild;
/** |webgpu - wasm| allowed: relative to the wasm tensor's largest magnitude, plus a floor. */
const REL = 1e-3;
const ABS = 1e-5;

const bad = (a: Agreement) => !(a.maxDiff <= REL * a.scale + ABS) || a.nonFinite > 0;
const fmt = (a: Agreement) =>
  `max|webgpu-wasm| ${a.maxDiff.toExponential(2)}, wasm scale ${a.scale.toExponential(2)}, ` +
  `${a.nonFinite} non-finite of ${a.length}`;

/** The model with every node output also a graph output (ONNX allows any value as one). */
function probed(model: Uint8Array): Uint8Array {
  const m = pb.ModelProto.decode(model);
  const g = m.graph!;
  const T = pb.TensorProto.DataType;
  const have = new Set(g.output!.map((o) => o.name));
  for (const node of g.node!) {
    const cast = node.attribute!.find((a) => a.name === 'to');
    const elemType = /^(Greater|Less|Equal)/.test(node.opType!)
      ? T.BOOL
      : cast
        ? Number(cast.i)
        : T.FLOAT;
    for (const out of node.output!) {
      if (have.has(out)) continue;
      have.add(out);
      // Type only: ORT infers the shape, as it does for the graph's own values.
      g.output!.push({ name: out, type: { tensorType: { elemType } } });
    }
  }
  return pb.ModelProto.encode(m).finish();
}

async function compareOn(
  page: EpPage,
  name: string,
  c: Case,
  repeats = 1,
  layout: 'NCHW' | 'NHWC' = LAYOUT,
) {
  const wasm = await page.run(name, c, 'wasm', repeats);
  const webgpu = await page.run(name, c, 'webgpu', repeats, layout, BUILD);
  return { wasm, webgpu, agreement: await page.compare() };
}

/** The first few WebGPU errors (the rest follow from the first: invalid module, pipeline, ...). */
function printErrors(page: EpPage, when: string): void {
  const all = [...page.gpuErrors];
  for (const e of all.slice(0, 2)) console.log(`  WebGPU error (${when}): ${e}`);
  if (all.length > 2) console.log(`  ... and ${all.length - 2} more WebGPU errors`);
  page.gpuErrors.clear();
}

async function main() {
  const step = stepCase(PRESET, MODE, BATCH);
  const nodes = pb.ModelProto.decode(step.model).graph!.node!;
  const page = await EpPage.launch(PORT);
  try {
    console.log(
      `${PRESET} ${MODE} step graph, batch ${BATCH}: ${nodes.length} nodes; ${BUILD} build, ${LAYOUT}`,
    );
    console.log(`adapter: ${await page.adapter()}`);

    const whole = await compareOn(page, 'step', step, 3);
    const ms = (t: number[]) => t.map((x) => x.toFixed(0)).join(', ');
    console.log(`1. step ms (runs 1-3): wasm ${ms(whole.wasm)}; webgpu ${ms(whole.webgpu)}`);
    printErrors(page, 'step');
    for (const a of whole.agreement.filter((x) => !x.name.endsWith('.next') || bad(x))) {
      if (!a.name.endsWith('.next') || ALL)
        console.log(`  ${bad(a) ? 'DIFF' : 'ok'} ${a.name}: ${fmt(a)}`);
    }
    const differing = whole.agreement.filter(bad).length;
    console.log(`  outputs differing: ${differing} of ${whole.agreement.length}`);

    const probe = { ...step, model: probed(step.model) };
    const byName = new Map(
      (await compareOn(page, 'probed', probe)).agreement.map((a) => [a.name, a]),
    );
    console.log('2. every node an output:');
    printErrors(page, 'probed step');
    let shown = 0;
    for (const n of nodes) {
      const outs = n.output!.map((o) => byName.get(o)!);
      if (!outs.some(bad)) continue;
      if (!n.input!.every((i) => !byName.has(i) || !bad(byName.get(i)!))) continue;
      if (shown++ >= 10 && !ALL) break;
      console.log(`  first differing: ${n.opType} ${n.name} (${n.input!.length} inputs)`);
      for (const a of outs) console.log(`    ${a.name}: ${fmt(a)}`);
    }
    if (shown === 0) console.log('  every node agrees within tolerance');

    console.log('3. op forms alone:');
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const r = await compareOn(page, `taps${layout}`, tapsCase(), 1, layout);
      const verdict = r.agreement.some(bad) ? 'DIFF' : 'ok';
      console.log(
        `  depthwise conv, 9 outputs per group, ${layout}: ${verdict} (${fmt(r.agreement[0]!)})`,
      );
    }
    for (const kind of ['Concat', 'Split'] as const) {
      for (const n of [ADAM_GROUP, 128]) {
        const r = await compareOn(page, `${kind}${n}`, joinCase(kind, n)).catch((e: unknown) => {
          console.log(`  ${kind} of ${n}: FAILS (${(e as Error).message.split('\n')[0]})`);
          return null;
        });
        if (!r) continue;
        const worst = r.agreement.reduce((w, a) => (bad(a) || a.maxDiff > w.maxDiff ? a : w));
        console.log(`  ${kind} of ${n}: ${r.agreement.some(bad) ? 'DIFF' : 'ok'} (${fmt(worst)})`);
        printErrors(page, `${kind} of ${n}`);
      }
    }
  } finally {
    await page.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
