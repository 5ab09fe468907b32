import type { EditOperator } from './editOperators';
import { Stream, sampleRngs, sampleSeeds } from './rng';
import { karrasSigmas, validateSigmas } from './schedule';

/** A code-conditioned denoiser D(x; sigma, y) over the whole batch. */
export type CodeDenoise = (
  x: Float32Array,
  sigma: number,
  code: Float32Array,
) => Float32Array | Promise<Float32Array>;

/** The condition encoder: images of the batch -> their code bits (the batch's codes, flattened). */
export type Encode = (x: Float32Array) => Float32Array | Promise<Float32Array>;

export interface EditOptions {
  operator: EditOperator;
  /** The reference image(s) z, batch * operator.size values. */
  reference: Float32Array;
  denoise: CodeDenoise;
  encode: Encode;
  /** Noise levels visited in order; a trailing 0 is skipped. Default: Karras, N = 40. */
  sigmas?: number[];
  batch?: number;
  seed?: number;
  seeds?: number[];
  onStep?: (i: number, sigma: number, x: Float32Array) => void;
  /** Awaited before every denoiser call (see SampleOptions.interrupt). */
  interrupt?: () => void | Promise<void>;
}

export interface EditResult {
  x: Float32Array;
  /** Denoiser calls. */
  nfe: number;
}

function checkFinite(v: Float32Array, what: string, step: number, sigma: number): void {
  for (let j = 0; j < v.length; j++) {
    if (v[j] - v[j] !== 0) {
      throw new RangeError(`${what} returned ${v[j]} at step ${step} (sigma ${sigma}, index ${j})`);
    }
  }
}

/** (A z)(1 - mask): the coefficients of one image that an edit keeps, the rest zeroed. */
function knownCoefficients(op: EditOperator, z: Float32Array, out: Float32Array): Float32Array {
  op.forward(z, out);
  for (let m = 0; m < op.size; m++) if (op.mask[m]) out[m] = 0;
  return out;
}

/** A^-1[(A z)(1 - mask)]: the part of one reference image the models are given. */
export function knownPart(op: EditOperator, z: Float32Array): Float32Array {
  const out = new Float32Array(op.size);
  op.inverse(knownCoefficients(op, z, new Float32Array(op.size)), out);
  return out;
}

/**
 * The paper's Algorithm 2: start from the reference with the generated coefficients zeroed; at
 * every sigma encode the current image, add sigma * n, denoise with that code, and put the known
 * coefficients of A z back: x <- A^-1[(A z)(1 - mask) + (A x) mask].
 * The known part is kept exactly for inpainting (A = I) and otherwise to float32 rounding of
 * A A^-1: at most 16 * 2^-24 * max|x| (about 1e-6 for images in [-1, 1]), as edit.test.ts checks.
 */
export async function edit(opts: EditOptions): Promise<EditResult> {
  const { operator: op, reference } = opts;
  const batch = opts.batch ?? 1;
  const seeds = sampleSeeds(batch, opts.seed ?? 0, opts.seeds);
  if (!(reference instanceof Float32Array) || reference.length !== batch * op.size) {
    throw new RangeError(
      `reference has ${reference?.length} values, expected batch ${batch} x ${op.size}`,
    );
  }
  const sigmas = opts.sigmas ?? karrasSigmas(40);
  validateSigmas(sigmas);
  const levels = sigmas[sigmas.length - 1] === 0 ? sigmas.slice(0, -1) : sigmas;
  const n = op.size;
  const known = new Float32Array(reference.length);
  const c = new Float32Array(n);
  for (let k = 0; k < batch; k++) {
    knownCoefficients(
      op,
      reference.subarray(k * n, (k + 1) * n),
      known.subarray(k * n, (k + 1) * n),
    );
  }
  const project = (x: Float32Array) => {
    for (let k = 0; k < batch; k++) {
      const xk = x.subarray(k * n, (k + 1) * n);
      op.forward(xk, c);
      for (let m = 0; m < n; m++) if (!op.mask[m]) c[m] = known[k * n + m];
      op.inverse(c, xk);
    }
  };
  let x = new Float32Array(reference.length);
  for (let k = 0; k < batch; k++)
    op.inverse(known.subarray(k * n, (k + 1) * n), x.subarray(k * n, (k + 1) * n));
  const rngs = sampleRngs(seeds, Stream.edit);
  let nfe = 0;
  for (let i = 0; i < levels.length; i++) {
    const sigma = levels[i];
    const code = await opts.encode(x.slice());
    if (!(code instanceof Float32Array) || code.length === 0 || code.length % batch !== 0) {
      throw new RangeError(
        `encoder returned ${code?.length} values, not codes for ${batch} samples`,
      );
    }
    checkFinite(code, 'encoder', i, sigma);
    rngs.forEach((r, k) => {
      for (let j = k * n; j < (k + 1) * n; j++) x[j] += sigma * r.normal();
    });
    await opts.interrupt?.();
    const den = await opts.denoise(x, sigma, code);
    nfe++;
    if (!(den instanceof Float32Array) || den.length !== x.length) {
      throw new RangeError(
        `denoiser returned ${den?.length} values at step ${i}, expected ${x.length}`,
      );
    }
    checkFinite(den, 'denoiser', i, sigma);
    x = Float32Array.from(den);
    project(x);
    opts.onStep?.(i, sigma, x.slice());
  }
  return { x, nfe };
}
