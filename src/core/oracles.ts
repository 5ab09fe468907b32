/**
 * Closed-form denoisers for tests: data whose posterior mean E[x0 | x0 + sigma n = x] is known
 * exactly, so solver errors can be measured against the true probability-flow ODE.
 */
import type { VecOps } from './vec';

/** Data ~ N(mu, s^2 I). */
export interface GaussianOracle {
  denoise: (x: Float32Array, sigma: number) => Float32Array;
  /** The same denoiser in float64 (for runs on float64Ops). */
  denoise64: (x: Float64Array, sigma: number) => Float64Array;
  /** The exact ODE solution at sigma from xT at sigmaT. */
  solution: (xT: Float32Array, sigmaT: number, sigma: number) => Float64Array;
}

export function gaussianOracle(mu: Float32Array, s: number): GaussianOracle {
  const dim = mu.length;
  const s2 = s * s;
  return {
    denoise(x, sigma) {
      const out = new Float32Array(x.length);
      const v = sigma * sigma;
      for (let j = 0; j < x.length; j++) out[j] = (s2 * x[j] + v * mu[j % dim]) / (s2 + v);
      return out;
    },
    denoise64(x, sigma) {
      const v = sigma * sigma;
      return x.map((xj, j) => (s2 * xj + v * mu[j % dim]) / (s2 + v));
    },
    solution(xT, sigmaT, sigma) {
      const k = Math.sqrt((s2 + sigma * sigma) / (s2 + sigmaT * sigmaT));
      return Float64Array.from(xT, (v, j) => mu[j % dim] + (v - mu[j % dim]) * k);
    },
  };
}

/** Every coordinate independently ~ sum_c w_c N(m_c, s_c^2). */
export interface Mixture1d {
  weights: number[];
  means: number[];
  stds: number[];
}

export function mixtureMoments(m: Mixture1d): { mean: number; variance: number } {
  const mean = m.weights.reduce((a, w, c) => a + w * m.means[c], 0);
  const second = m.weights.reduce((a, w, c) => a + w * (m.stds[c] ** 2 + m.means[c] ** 2), 0);
  return { mean, variance: second - mean * mean };
}

/** Posterior mean of a 1-D mixture at noise sigma, applied per coordinate. */
export function mixtureDenoiser(m: Mixture1d): (x: Float32Array, sigma: number) => Float32Array {
  return (x, sigma) => {
    const out = new Float32Array(x.length);
    const v = sigma * sigma;
    const logp = new Float64Array(m.weights.length);
    for (let j = 0; j < x.length; j++) {
      let best = -Infinity;
      for (let c = 0; c < logp.length; c++) {
        const tot = m.stds[c] ** 2 + v;
        logp[c] =
          Math.log(m.weights[c]) - 0.5 * Math.log(tot) - (x[j] - m.means[c]) ** 2 / (2 * tot);
        best = Math.max(best, logp[c]);
      }
      let z = 0;
      let acc = 0;
      for (let c = 0; c < logp.length; c++) {
        const g = Math.exp(logp[c] - best);
        const s2 = m.stds[c] ** 2;
        z += g;
        acc += (g * (s2 * x[j] + v * m.means[c])) / (s2 + v);
      }
      out[j] = acc / z;
    }
    return out;
  };
}

/** Wraps a denoiser and counts its calls. */
export function counted<T extends (x: Float32Array, sigma: number) => Float32Array>(
  f: T,
): { denoise: T; calls: () => number } {
  let n = 0;
  const denoise = ((x: Float32Array, sigma: number) => {
    n++;
    return f(x, sigma);
  }) as T;
  return { denoise, calls: () => n };
}

/** Least-squares slope of log(err) against log(n). */
export function logLogSlope(ns: number[], errs: number[]): number {
  const xs = ns.map(Math.log);
  const ys = errs.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/**
 * VecOps on Float64Arrays, every result a fresh array: solver arithmetic without float32
 * rounding, so high-order error slopes stay measurable down to small errors.
 */
export function float64Ops(length: number): VecOps<Float64Array> {
  return {
    length,
    lincomb(c, v) {
      const out = new Float64Array(length);
      v.forEach((w, k) => {
        for (let j = 0; j < length; j++) out[j] += c[k] * w[j];
      });
      return out;
    },
    keep: (v) => v.slice(),
    fromCpu(fill) {
      const f = new Float32Array(length);
      fill(f);
      return Float64Array.from(f);
    },
    free: () => undefined,
  };
}

/**
 * One coordinate of Gaussian data N(mu, s^2), sampled symbolically. A vector is the coefficient
 * list of x = c_0 + c_1 z + sum_k c_(k+1) eps_k over independent standard normals (z the start,
 * eps_k the solver's k-th noise draw). The denoiser is affine in x, so every solver keeps this
 * form and the law of its output is exactly N(c_0, sum_(k>0) c_k^2): mean and variance with no
 * Monte Carlo error, for deterministic and stochastic solvers alike.
 */
export interface GaussianMoments {
  ops: VecOps<Float64Array>;
  /** x = mean + std z. */
  start: (mean: number, std: number) => Float64Array;
  denoise: (x: Float64Array, sigma: number) => Float64Array;
  moments: (x: Float64Array) => { mean: number; variance: number };
  /** Noise vectors drawn so far. */
  draws: () => number;
}

export function gaussianMoments(mu: number, s: number, maxDraws: number): GaussianMoments {
  const length = 2 + maxDraws;
  let drawn = 0;
  const lin = float64Ops(length);
  return {
    ops: {
      ...lin,
      fromCpu(fill) {
        // The run's generators still advance; the draw itself becomes a new basis direction.
        fill(new Float32Array(length));
        if (drawn === maxDraws) throw new RangeError(`more than ${maxDraws} noise draws`);
        const out = new Float64Array(length);
        out[2 + drawn++] = 1;
        return out;
      },
    },
    start(mean, std) {
      const out = new Float64Array(length);
      out[0] = mean;
      out[1] = std;
      return out;
    },
    denoise(x, sigma) {
      const a = (s * s) / (s * s + sigma * sigma);
      const out = x.map((c) => a * c);
      out[0] += (1 - a) * mu;
      return out;
    },
    moments: (x) => ({ mean: x[0], variance: x.slice(1).reduce((acc, c) => acc + c * c, 0) }),
    draws: () => drawn,
  };
}
