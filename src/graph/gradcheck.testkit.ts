// Test support: finite-difference check of the gradients the builder produces, on sessions the
// caller opens: src/graph imports no ORT, so the tests that run it live where ORT may be imported
// (src/runtime/graph-tests). Imported by *.test.ts only.
import { forwardModel } from './export';
import { Graph, type Tensor } from './graph';
import { initValues } from './init';
import { mul, reduceSum } from './ops';
import { Params } from './params';
import type { ModelGraph } from './serialize';
import { buildGradientGraph } from './step';
import { sizeOf, type FloatArray, type Shape, type TensorData } from './types';

/** A session on one graph: what the check needs of runtime's GraphSession. */
interface GraphRunner {
  run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

type OpenGraph = (graph: ModelGraph) => Promise<GraphRunner>;

interface GradCheckOptions {
  readonly dtype: 'float32' | 'float64';
  readonly seed?: number;
  /** Finite-difference step (default 1e-6 for float64, 1e-2 for float32). */
  readonly eps?: number;
}

interface GradCheckResult {
  /** Per parameter: analytic and numeric directional derivative along a random direction. */
  readonly params: { name: string; analytic: number; numeric: number; relErr: number }[];
  readonly worst: number;
}

function randomArray(
  n: number,
  seed: number,
  name: string,
  dtype: 'float32' | 'float64',
): FloatArray {
  const v = initValues({ kind: 'uniform', bound: 1 }, [n], seed, name);
  return dtype === 'float64' ? Float64Array.from(v) : v;
}

type GradCheck = (
  f: (g: Graph, p: Params) => Tensor,
  opts: GradCheckOptions,
) => Promise<GradCheckResult>;

/** The check on sessions from `open` (a test passes GraphSession.create). */
export function gradChecker(open: OpenGraph): GradCheck {
  return (f, opts) => gradCheck(open, f, opts);
}

/**
 * Build `f` with fresh parameters, contract its output with a fixed random tensor into a
 * scalar loss, and compare every parameter's gradient with a central difference of the loss
 * along a random direction. Data inputs declared by `f` get random values in [-1, 1].
 */
async function gradCheck(
  open: OpenGraph,
  f: (g: Graph, p: Params) => Tensor,
  opts: GradCheckOptions,
): Promise<GradCheckResult> {
  const seed = opts.seed ?? 1;
  const g = new Graph();
  const p = Params.create(g, { kind: 'train' }, opts.dtype);
  const out = f(g, p);
  const r = g.constant(
    randomArray(out.size, seed, 'contract', out.dtype as 'float32'),
    out.shape,
    out.dtype,
  );
  const loss = reduceSum(mul(out, r), null);
  const gradGraph = buildGradientGraph(p, loss);
  const lossOnly = await open(forwardModel(g, { loss }));
  const grads = await open(gradGraph);
  const feeds: Record<string, TensorData> = {};
  for (const info of gradGraph.inputs) {
    const spec = p.specs.find((s) => s.name === info.name);
    const n = sizeOf(info.shape);
    if (spec) {
      const v = initValues(spec.init, spec.shape, seed, spec.name);
      feeds[info.name] = opts.dtype === 'float64' ? Float64Array.from(v) : v;
    } else {
      feeds[info.name] = randomArray(n, seed, info.name, info.dtype as 'float32');
    }
  }
  const analytic = await grads.run(feeds);
  const eps = opts.eps ?? (opts.dtype === 'float64' ? 1e-6 : 1e-2);
  const lossAt = async (name: string, dir: FloatArray, scale: number): Promise<number> => {
    const base = feeds[name] as FloatArray;
    const moved = base.map((v, i) => v + scale * (dir[i] as number));
    const res = await lossOnly.run({ ...feeds, [name]: moved });
    return (res.loss as FloatArray)[0]!;
  };
  const results: GradCheckResult['params'] = [];
  for (const spec of p.specs) {
    const n = sizeOf(spec.shape as Shape);
    const dir = randomArray(n, seed + 7, `dir.${spec.name}`, opts.dtype);
    const gv = analytic[`grad.${spec.name}`] as FloatArray;
    let a = 0;
    let gg = 0;
    let dd = 0;
    for (let i = 0; i < n; i++) {
      a += gv[i]! * (dir[i] as number);
      gg += gv[i]! ** 2;
      dd += (dir[i] as number) ** 2;
    }
    const numeric =
      ((await lossAt(spec.name, dir, eps)) - (await lossAt(spec.name, dir, -eps))) / (2 * eps);
    // A random direction's derivative is typically |g||d|/sqrt(n); when cancellation makes this
    // one much smaller, measure the error against the typical size instead.
    const typical = Math.sqrt((gg * dd) / n);
    const relErr = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), typical, 1e-9);
    results.push({ name: spec.name, analytic: a, numeric, relErr });
  }
  await lossOnly.release();
  await grads.release();
  return { params: results, worst: Math.max(...results.map((x) => x.relErr)) };
}
