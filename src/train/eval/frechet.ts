import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symmetricEigenvalues } from './sym-eigen';

/** Mean and covariance (unbiased) of n feature rows of width dim. */
export function gaussianOf(features: Float32Array, n: number, dim: number): Gaussian {
  if (n < 2) throw new Error(`FID proxy needs at least 2 feature rows, got ${n}`);
  if (features.length !== n * dim)
    throw new Error(`features: ${features.length} values for ${n} x ${dim}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += features[i * dim + j]! / n;
  const cov = new Matrix(dim, dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const da = features[i * dim + a]! - mean[a]!;
      for (let b = a; b < dim; b++)
        cov.set(a, b, cov.get(a, b) + da * (features[i * dim + b]! - mean[b]!));
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov.get(a, b) / (n - 1);
      cov.set(a, b, v);
      cov.set(b, a, v);
    }
  }
  return { mean, cov };
}

/**
 * Mean and covariance of a resampled set without building it: row i counts `counts[i]` times (a
 * bootstrap draw), so each replicate costs one pass over the rows it drew.
 */
export function weightedGaussian(
  features: Float32Array,
  n: number,
  dim: number,
  counts: ArrayLike<number>,
): Gaussian {
  if (features.length !== n * dim)
    throw new Error(`features: ${features.length} values for ${n} x ${dim}`);
  if (counts.length !== n) throw new Error(`${counts.length} counts for ${n} feature rows`);
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i]!;
  if (total < 2) throw new Error(`FID proxy needs at least 2 feature rows, got ${total}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    for (let j = 0; j < dim; j++) mean[j]! += (c * features[i * dim + j]!) / total;
  }
  // Upper triangle of the centred scatter in a flat buffer: ml-matrix get/set per entry would
  // dominate the bootstrap's time.
  const acc = new Float64Array(dim * dim);
  const d = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    for (let a = 0; a < dim; a++) d[a] = features[i * dim + a]! - mean[a]!;
    for (let a = 0; a < dim; a++) {
      const ca = c * d[a]!;
      const row = a * dim;
      for (let b = a; b < dim; b++) acc[row + b]! += ca * d[b]!;
    }
  }
  const cov = new Matrix(dim, dim);
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = acc[a * dim + b]! / (total - 1);
      cov.set(a, b, v);
      cov.set(b, a, v);
    }
  }
  return { mean, cov };
}

export interface Gaussian {
  mean: Float64Array;
  cov: Matrix;
}

/** Symmetric PSD square root through the eigen-decomposition (negative round-off clipped to 0). */
function sqrtPsd(m: Matrix): Matrix {
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const d = Matrix.diag(e.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0))));
  return v.mmul(d).mmul(v.transpose());
}

/**
 * Frechet distance between two Gaussians: |m1 - m2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2),
 * the FID formula evaluated on the classifier's features.
 */
export function frechetDistance(
  a: { mean: Float64Array; cov: Matrix },
  b: { mean: Float64Array; cov: Matrix },
): number {
  let meanTerm = 0;
  for (let j = 0; j < a.mean.length; j++) meanTerm += (a.mean[j]! - b.mean[j]!) ** 2;
  const r = sqrtPsd(a.cov);
  const inner = new EigenvalueDecomposition(r.mmul(b.cov).mmul(r), { assumeSymmetric: true });
  const crossTrace = inner.realEigenvalues.reduce((s, l) => s + Math.sqrt(Math.max(l, 0)), 0);
  return meanTerm + a.cov.trace() + b.cov.trace() - 2 * crossTrace;
}

/**
 * Frechet distances of many Gaussians to one fixed reference (the held-out split): the
 * reference's square root and trace are computed once.
 */
export class FrechetReference {
  private readonly root: Matrix;
  private readonly trace: number;

  constructor(readonly reference: Gaussian) {
    this.root = sqrtPsd(reference.cov);
    this.trace = reference.cov.trace();
  }

  distance(g: Gaussian): number {
    const inner = new EigenvalueDecomposition(this.root.mmul(g.cov).mmul(this.root), {
      assumeSymmetric: true,
    });
    return this.combine(g.mean, g.cov.trace(), inner.realEigenvalues);
  }

  /**
   * One generated feature set, ready for many resampled distances. The cross term needs the
   * eigenvalues of R S R (R = the reference's root); that is the covariance of the features
   * multiplied by R, so they are multiplied once here and each replicate costs one weighted
   * covariance and one eigenvalue-only decomposition.
   */
  prepare(features: Float32Array, n: number, dim: number): PreparedFeatures {
    if (features.length !== n * dim)
      throw new Error(`features: ${features.length} values for ${n} x ${dim}`);
    if (dim !== this.reference.mean.length)
      throw new Error(
        `features of width ${dim} against a reference of ${this.reference.mean.length}`,
      );
    const r = this.root.to1DArray();
    const turned = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < dim; k++) {
        const x = features[i * dim + k]!;
        if (x === 0) continue;
        const row = k * dim;
        for (let j = 0; j < dim; j++) turned[i * dim + j]! += x * r[row + j]!;
      }
    }
    return new PreparedFeatures(this, features, turned, n, dim);
  }

  /** |m - m_ref|^2 + tr S + tr S_ref - 2 sum sqrt(eig(R S R)). */
  combine(mean: ArrayLike<number>, trace: number, crossEigenvalues: ArrayLike<number>): number {
    const ref = this.reference;
    let meanTerm = 0;
    for (let j = 0; j < ref.mean.length; j++) meanTerm += (mean[j]! - ref.mean[j]!) ** 2;
    let cross = 0;
    for (let j = 0; j < crossEigenvalues.length; j++)
      cross += Math.sqrt(Math.max(crossEigenvalues[j]!, 0));
    return meanTerm + trace + this.trace - 2 * cross;
  }
}

/** See FrechetReference.prepare. */
export class PreparedFeatures {
  constructor(
    private readonly ref: FrechetReference,
    private readonly features: Float32Array,
    private readonly turned: Float64Array,
    readonly n: number,
    readonly dim: number,
  ) {}

  /** The distance of the set where row i counts counts[i] times (all once when omitted). */
  distance(counts?: ArrayLike<number>): number {
    const { n, dim } = this;
    const w = counts ?? new Uint8Array(n).fill(1);
    if (w.length !== n) throw new Error(`${w.length} counts for ${n} feature rows`);
    let total = 0;
    for (let i = 0; i < n; i++) total += w[i]!;
    if (total < 2) throw new Error(`FID proxy needs at least 2 feature rows, got ${total}`);
    // Mean and trace of S from the features themselves (O(n dim)).
    const mean = new Float64Array(dim);
    const sq = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const c = w[i]!;
      if (c === 0) continue;
      for (let j = 0; j < dim; j++) {
        const x = this.features[i * dim + j]!;
        mean[j]! += c * x;
        sq[j]! += c * x * x;
      }
    }
    let trace = 0;
    for (let j = 0; j < dim; j++) {
      mean[j]! /= total;
      trace += (sq[j]! - total * mean[j]! * mean[j]!) / (total - 1);
    }
    const cov = weightedCovariance(this.turned, n, dim, w, total);
    return this.ref.combine(mean, trace, symmetricEigenvalues(cov, dim));
  }
}

/** Unbiased covariance (full, row-major) of rows weighted by integer counts summing to total. */
function weightedCovariance(
  x: Float64Array,
  n: number,
  dim: number,
  counts: ArrayLike<number>,
  total: number,
): Float64Array {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    for (let j = 0; j < dim; j++) mean[j]! += c * x[i * dim + j]!;
  }
  for (let j = 0; j < dim; j++) mean[j]! /= total;
  const acc = new Float64Array(dim * dim);
  const d = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    for (let a = 0; a < dim; a++) d[a] = x[i * dim + a]! - mean[a]!;
    for (let a = 0; a < dim; a++) {
      const ca = c * d[a]!;
      const row = a * dim;
      for (let b = a; b < dim; b++) acc[row + b]! += ca * d[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = acc[a * dim + b]! / (total - 1);
      acc[a * dim + b] = v;
      acc[b * dim + a] = v;
    }
  }
  return acc;
}
