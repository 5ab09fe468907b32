// Test support: finite-difference check of the gradients the builder produces, run on real
// onnxruntime-node sessions. Imported by *.test.ts only.
import { GraphSession, type TensorValues } from '../runtime/train-session';
import { Graph } from './graph';
import { initValues } from './init';
import { mul, reduceSum } from './ops';
import { Params } from './params';
import { buildGradientGraph, forwardModel } from './index';
import type { Tensor } from './tensor';
import { sizeOf, type Shape } from './types';

export interface GradCheckOptions {
  readonly dtype: 'float32' | 'float64';
  readonly seed?: number;
  /** Finite-difference step (default 1e-6 for float64, 1e-2 for float32). */
  readonly eps?: number;
}

export interface GradCheckResult {
  /** Per parameter: analytic and numeric directional derivative along a random direction. */
  readonly params: { name: string; analytic: number; numeric: number; relErr: number }[];
  readonly worst: number;
}

function randomArray(
  n: number,
  seed: number,
  name: string,
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  const v = initValues({ kind: 'uniform', bound: 1 }, [n], seed, name);
  return dtype === 'float64' ? Float64Array.from(v) : v;
}

/**
 * Build `f` with fresh parameters, contract its output with a fixed random tensor into a
 * scalar loss, and compare every parameter's gradient with a central difference of the loss
 * along a random direction. Data inputs declared by `f` get random values in [-1, 1].
 */
export async function gradCheck(
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
  const lossOnly = await GraphSession.create(forwardModel(g, { loss }));
  const grads = await GraphSession.create(gradGraph);
  const feeds: Record<string, TensorValues> = {};
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
  const lossAt = async (name: string, dir: TensorValues, scale: number): Promise<number> => {
    const base = feeds[name] as Float32Array | Float64Array;
    const moved = base.map((v, i) => v + scale * (dir[i] as number));
    const res = await lossOnly.run({ ...feeds, [name]: moved });
    return (res.loss as Float32Array | Float64Array)[0]!;
  };
  const results: GradCheckResult['params'] = [];
  for (const spec of p.specs) {
    const n = sizeOf(spec.shape as Shape);
    const dir = randomArray(n, seed + 7, `dir.${spec.name}`, opts.dtype);
    const gv = analytic[`grad.${spec.name}`] as Float32Array | Float64Array;
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
