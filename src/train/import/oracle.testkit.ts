import { Graph, op, type Tensor } from '../../graph';
import { serialize } from '../../graph/serialize';
import { DEFAULT_NAMES } from './interface';
import type { Prediction } from './scheduler-config';

/**
 * "External" networks whose prediction is exact for Gaussian data: every pixel of the clean image
 * is N(mu, s^2), independently, in the network's own value range. Each takes diffusers' interface
 * (sample [B,C,H,W], timestep [B], out_sample [B,C,H,W]) so `npm run import` treats it like an
 * exported UNet2DModel. With exact predictions the probability-flow ODE from x_T is affine:
 * (x(sigma) - mu) / sqrt(s^2 + sigma^2) stays constant, which the tests compare samples with.
 */
export interface OracleSpec {
  readonly prediction: Prediction;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** The data's mean and standard deviation in the network's value range. */
  readonly mu: number;
  readonly s: number;
  /** The trained timesteps' sigmas (increasing); ignored for edm. */
  readonly sigmas: readonly number[];
  readonly timestep: 'int64' | 'float32';
  /** edm's sigma_data. */
  readonly sigmaData: number;
}

/** An unused weight that makes the file this big (the app's large-model path), or 0. */
export interface OracleOptions {
  readonly padBytes?: number;
}

/** sigma at a (possibly fractional) timestep: hat-function interpolation of ln sigma, no Gather. */
function sigmaAt(g: Graph, t: Tensor, sigmas: readonly number[], batch: number): Tensor {
  const n = sigmas.length;
  const idx = g.constant(
    Array.from({ length: n }, (_, i) => i),
    [1, n],
  );
  const d = op.sub(op.reshape(t, [batch, 1]), idx);
  const hat = op.relu(op.sub(1, op.add(op.relu(d), op.relu(op.neg(d)))));
  const logs = g.constant(sigmas.map(Math.log), [n, 1]);
  return op.exp(op.reshape(op.matmul(hat, logs), [batch]));
}

/** The oracle network as ONNX bytes (built at batch 1, serialised with a free batch axis). */
export function oracleModel(spec: OracleSpec, opts: OracleOptions = {}): Uint8Array {
  const g = new Graph();
  const batch = 1;
  const shape = [batch, spec.channels, spec.height, spec.width];
  const input = g.input(DEFAULT_NAMES.sample, shape);
  const timestep = g.input(DEFAULT_NAMES.timestep, [batch], spec.timestep);
  const perImage = (v: Tensor) => op.reshape(v, [batch, 1, 1, 1]);
  const { mu, s } = spec;
  const s2 = s * s;
  const t = op.cast(timestep, 'float32');
  let out: Tensor;
  if (spec.prediction === 'edm') {
    const sd2 = spec.sigmaData ** 2;
    const sigma = op.exp(op.mul(t, 4));
    const sig2 = op.mul(sigma, sigma);
    const x = op.mul(input, perImage(op.sqrt(op.add(sig2, sd2))));
    const d = op.add(op.mul(op.sub(x, mu), perImage(op.div(s2, op.add(sig2, s2)))), mu);
    const skip = op.div(sd2, op.add(sig2, sd2));
    const cOut = op.div(op.mul(sigma, spec.sigmaData), op.sqrt(op.add(sig2, sd2)));
    out = op.div(op.sub(d, op.mul(x, perImage(skip))), perImage(cOut));
  } else {
    const sigma = sigmaAt(g, t, spec.sigmas, batch);
    // x_t = a y + b n with a = sqrt(abar) = 1 / sqrt(1 + sigma^2), b = sigma a.
    const a = op.div(1, op.sqrt(op.add(op.mul(sigma, sigma), 1)));
    const b = op.mul(sigma, a);
    const centred = op.sub(input, op.mul(perImage(a), mu));
    const denom = op.add(op.mul(op.mul(a, a), s2), op.mul(b, b));
    const eps = op.mul(centred, perImage(op.div(b, denom)));
    const y = op.add(op.mul(centred, perImage(op.div(op.mul(a, s2), denom))), mu);
    out =
      spec.prediction === 'epsilon'
        ? eps
        : spec.prediction === 'sample'
          ? y
          : op.sub(op.mul(eps, perImage(a)), op.mul(y, perImage(b)));
  }
  if (opts.padBytes) {
    // A constant the output depends on only through a zero factor, so no pass drops it.
    const n = Math.ceil(opts.padBytes / 4);
    const pad = g.constant(new Float32Array(n), [1, n]);
    const one = op.reshape(op.reduceSum(pad, [1], false), [batch, 1, 1, 1]);
    out = op.add(out, op.mul(one, 0));
  }
  return serialize(g, {
    outputs: { [DEFAULT_NAMES.output]: out },
    graphName: `gaussian_oracle_${spec.prediction}`,
    dynamicBatch: 'batch',
  }).model;
}

/**
 * Where the exact probability-flow ODE takes x_T ~ N(0, sigmaMax^2) for this data, in [-1, 1]
 * units (mu and s already mapped): the sample mean and standard deviation a perfect solver gives.
 * The sampler starts from N(0, sigmaMax^2), not the true N(mu, s^2 + sigmaMax^2), hence the tiny
 * shift of the mean and shrink of the spread.
 */
export function exactMoments(
  mu: number,
  s: number,
  sigmaMax: number,
): { mean: number; std: number } {
  const k = s / Math.hypot(s, sigmaMax);
  return { mean: mu * (1 - k), std: k * sigmaMax };
}
