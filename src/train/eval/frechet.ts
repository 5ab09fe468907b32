import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Mean and covariance (unbiased) of n feature rows of width dim. */
export function gaussianOf(
  features: Float32Array,
  n: number,
  dim: number,
): { mean: Float64Array; cov: Matrix } {
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
