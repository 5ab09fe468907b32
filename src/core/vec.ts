/**
 * The vector algebra the solvers run on, whatever holds a batch: Float32Arrays (cpuOps) or GPU
 * tensors (the web runtime). Every solver update is a linear combination of x, denoiser outputs
 * and noise, so `lincomb` is the only arithmetic they need.
 *
 * Ownership: every vector a method returns (and every denoiser output) belongs to the caller, who
 * hands it back with `free` once it is dead; GPU memory is not garbage-collected.
 */
export interface VecOps<V> {
  /** Values per vector (the whole batch). */
  readonly length: number;
  /** sum_k c[k] v[k] as a new vector, then frees `drop` (vectors dead after this call). */
  lincomb(c: readonly number[], v: readonly V[], drop?: readonly V[]): V | Promise<V>;
  /** A vector holding v's current value that stays valid however v is used or freed later. */
  keep(v: V): V | Promise<V>;
  /** A new vector whose values `fill` writes on the CPU (noise from the per-sample streams). */
  fromCpu(fill: (out: Float32Array) => void): V;
  free(v: V | undefined): void;
}

function checkTerms(c: readonly number[], v: readonly Float32Array[], n: number): void {
  if (c.length !== v.length || v.length === 0) {
    throw new RangeError(
      `lincomb needs one coefficient per vector, got ${c.length} and ${v.length}`,
    );
  }
  for (const a of v) {
    if (a.length !== n)
      throw new RangeError(`lincomb: vector of ${a.length} values, expected ${n}`);
  }
}

type F = Float32Array;

// One small function per term count (up to iPNDM's five) keeps each loop monomorphic and unrolled.
function lc1(o: F, a: number, p: F): void {
  for (let j = 0; j < o.length; j++) o[j] = a * p[j];
}
function lc2(o: F, a: number, p: F, b: number, q: F): void {
  for (let j = 0; j < o.length; j++) o[j] = a * p[j] + b * q[j];
}
function lc3(o: F, a: number, p: F, b: number, q: F, c: number, r: F): void {
  for (let j = 0; j < o.length; j++) o[j] = a * p[j] + b * q[j] + c * r[j];
}
function lc4(o: F, a: number, p: F, b: number, q: F, c: number, r: F, d: number, s: F): void {
  for (let j = 0; j < o.length; j++) o[j] = a * p[j] + b * q[j] + c * r[j] + d * s[j];
}
// prettier-ignore
function lc5(o: F, a: number, p: F, b: number, q: F, c: number, r: F, d: number, s: F, e: number, t: F): void {
  for (let j = 0; j < o.length; j++) o[j] = a * p[j] + b * q[j] + c * r[j] + d * s[j] + e * t[j];
}

/** out = sum_k c[k] v[k]; out may be one of v (every value depends only on its own index). */
function lincombInto(out: F, c: readonly number[], v: readonly F[]): void {
  switch (v.length) {
    case 1:
      return lc1(out, c[0], v[0]);
    case 2:
      return lc2(out, c[0], v[0], c[1], v[1]);
    case 3:
      return lc3(out, c[0], v[0], c[1], v[1], c[2], v[2]);
    case 4:
      return lc4(out, c[0], v[0], c[1], v[1], c[2], v[2], c[3], v[3]);
    case 5:
      return lc5(out, c[0], v[0], c[1], v[1], c[2], v[2], c[3], v[3], c[4], v[4]);
    default:
      lc1(out, c[0], v[0]);
      for (let k = 1; k < v.length; k++) {
        const w = v[k];
        for (let j = 0; j < out.length; j++) out[j] += c[k] * w[j];
      }
  }
}

/**
 * VecOps on Float32Arrays of `length` values. Freed arrays go back to a pool that later results
 * are written into, and a combination whose first term dies with it is computed in place, so a
 * solver allocates only in its first steps and streams no more memory than hand-written loops. Arrays it did not hand out
 * (the caller's x_T, a denoiser's output) are never written to.
 */
export function cpuOps(length: number): VecOps<Float32Array> {
  const pool: Float32Array[] = [];
  const lent = new WeakSet<Float32Array>();
  const take = (): Float32Array => {
    const a = pool.pop() ?? new Float32Array(length);
    lent.add(a);
    return a;
  };
  const free = (v: Float32Array | undefined): void => {
    if (v && lent.delete(v)) pool.push(v);
  };
  return {
    length,
    lincomb(c, v, drop) {
      checkTerms(c, v, length);
      // x <- a x + ...: written in place when the first term is ours and dies here.
      const inPlace = drop?.includes(v[0]) && lent.has(v[0]);
      const out = inPlace ? v[0] : take();
      lincombInto(out, c, v);
      drop?.forEach((d) => d !== out && free(d));
      return out;
    },
    keep(v) {
      const out = take();
      out.set(v);
      return out;
    },
    fromCpu(fill) {
      const out = take();
      fill(out);
      return out;
    },
    free,
  };
}
