import { Graph, op, type ModelGraph, type Tensor } from '../../graph';
import { serialize } from '../../graph/serialize';
import type { Parameterisation } from '../../runtime';

/**
 * The names by which the wrapper and the external network meet in the composed graph (merge.ts):
 * the wrapper computes the network's two inputs and takes its output as an input of its own.
 */
export const JOIN = {
  sample: 'import/model_sample',
  timestep: 'import/model_timestep',
  output: 'import/model_output',
} as const;

/** Ops the wrapper emits: each means the same at every opset from 7 on (merge.ts keeps the network's). */
export const WRAPPER_OPS: ReadonlySet<string> = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Neg',
  'Relu',
  'Log',
  'Sqrt',
  'Floor',
  'Cast',
  'MatMul',
  'Reshape',
]);

export interface WrapperSpec {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly prediction: Parameterisation['prediction'];
  readonly timestep: Parameterisation['timestep'];
  /** The discrete schedule's sigmas, increasing with t, in the network's value range; null for edm. */
  readonly sigmas: readonly number[] | null;
  readonly valueRange: readonly [number, number];
  /** sigma_data in the network's range (edm's preconditioning). */
  readonly sigmaData: number;
}

/**
 * Built at batch 1 and serialised with a symbolic batch: at batch 1 the dynamic-batch pass has no
 * batch-sized constant to confuse with a table (a schedule of 2 or 3 timesteps would be).
 */
const BUILD_BATCH = 1;

/** clip(u, 0, 1) from Relu alone, exact at both ends: 1 - relu(1 - relu(u)). */
const unitClip = (u: Tensor) => op.sub(1, op.relu(op.sub(1, op.relu(u))));

/**
 * k-diffusion's sigma -> t (docs/math.md §9) as a sum of clipped ramps, which needs no Gather:
 * with L_i = ln sigma_i increasing, t = sum_i clip((ln sigma - L_i) / (L_(i+1) - L_i), 0, 1) is the
 * piecewise-linear interpolation of the timestep in log sigma, clamped to [0, T-1].
 */
function timestepOf(g: Graph, sigma: Tensor, sigmas: readonly number[]): Tensor {
  const logs = sigmas.map(Math.log);
  const n = logs.length - 1;
  const lo = g.constant(logs.slice(0, n), [1, n]);
  const inv = g.constant(
    Array.from({ length: n }, (_, i) => 1 / (logs[i + 1]! - logs[i]!)),
    [1, n],
  );
  const ramps = unitClip(op.mul(op.sub(op.reshape(op.log(sigma), [BUILD_BATCH, 1]), lo), inv));
  const ones = g.constant(new Array<number>(n).fill(1), [n, 1]);
  return op.reshape(op.matmul(ramps, ones), [BUILD_BATCH]);
}

/**
 * The wrapper around an external network, as one graph with inputs `x` [B,C,H,W], `sigma` [B] and
 * the network's output JOIN.output, and outputs JOIN.sample and JOIN.timestep (what the network
 * is fed) and `denoised`. In the network's range [lo, hi] with a = (hi + lo)/2, b = (hi - lo)/2:
 * x' = a + b x and sigma' = b sigma; the prediction becomes D' there and D = (D' - a) / b.
 */
export function wrapperGraph(spec: WrapperSpec): ModelGraph {
  const g = new Graph();
  const { channels: c, height: h, width: w } = spec;
  const image = [BUILD_BATCH, c, h, w];
  const x = g.input('x', image);
  const sigma = g.input('sigma', [BUILD_BATCH]);
  const out = g.input(JOIN.output, image);
  const [lo, hi] = spec.valueRange;
  const a = (hi + lo) / 2;
  const b = (hi - lo) / 2;
  const xm = a === 0 && b === 1 ? x : op.add(op.mul(x, b), a);
  const s = b === 1 ? sigma : op.mul(sigma, b);
  const perImage = (v: Tensor) => op.reshape(v, [BUILD_BATCH, 1, 1, 1]);
  const s2 = op.mul(s, s);
  const sd2 = spec.sigmaData ** 2;
  // VP networks see sqrt(abar) x_t with abar = 1 / (1 + sigma^2); EDM's F sees x / sqrt(sigma^2 + sd^2).
  const cIn = op.div(1, op.sqrt(op.add(s2, spec.prediction === 'edm' ? sd2 : 1)));
  const sample = op.mul(xm, perImage(cIn));
  let timestep: Tensor;
  if (spec.timestep === 'edm') timestep = op.div(op.log(s), 4);
  else {
    const t = timestepOf(g, s, spec.sigmas!);
    // Nearest trained timestep: ceil(t - 1/2) = -floor(1/2 - t), ties to the lower one as k-diffusion.
    timestep = spec.timestep === 'nearest' ? op.cast(op.neg(op.floor(op.sub(0.5, t))), 'int64') : t;
  }
  let dm: Tensor;
  switch (spec.prediction) {
    case 'epsilon':
      dm = op.sub(xm, op.mul(out, perImage(s)));
      break;
    case 'v_prediction': {
      // k-diffusion's DiscreteVDDPMDenoiser with sigma_data = 1.
      const skip = op.div(1, op.add(s2, 1));
      const cOut = op.neg(op.mul(s, op.sqrt(skip)));
      dm = op.add(op.mul(xm, perImage(skip)), op.mul(out, perImage(cOut)));
      break;
    }
    case 'sample':
      dm = out;
      break;
    case 'edm': {
      const skip = op.div(sd2, op.add(s2, sd2));
      const cOut = op.mul(op.mul(s, spec.sigmaData), cIn);
      dm = op.add(op.mul(xm, perImage(skip)), op.mul(out, perImage(cOut)));
      break;
    }
  }
  const denoised = a === 0 && b === 1 ? dm : op.div(op.sub(dm, a), b);
  return serialize(g, {
    outputs: { [JOIN.sample]: sample, [JOIN.timestep]: timestep, denoised },
    allowedOps: WRAPPER_OPS,
    graphName: 'import_wrapper',
    dynamicBatch: 'batch',
  });
}
