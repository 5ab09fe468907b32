/**
 * Natural log built only from IEEE-754 +, -, *, / (each correctly rounded, and JavaScript never
 * fuses them), so it returns the same bits on every engine. Math.log is implementation-defined
 * in ECMAScript and may differ in the last bit between browsers, which would make seeded normal
 * draws drift apart.
 */

/** ln(x) for 0 < x <= 1 with an error of a few ulp. */
export function detLog(x: number): number {
  if (!(x > 0 && x <= 1)) throw new RangeError(`detLog needs 0 < x <= 1, got ${x}`);
  // Scale by exact powers of two into [sqrt(1/2), sqrt(2)).
  let m = x;
  let e = 0;
  while (m < 0.5) {
    m *= 2;
    e++;
  }
  if (m < Math.SQRT1_2) {
    m *= 2;
    e++;
  }
  // ln(m) = 2 atanh(f), f = (m-1)/(m+1), |f| < 0.172: the series converges to 1e-17 in 12 terms.
  const f = (m - 1) / (m + 1);
  const f2 = f * f;
  // Horner in f^2, unrolled (this runs once per pair of normal draws).
  let sum = 1 / 23;
  sum = sum * f2 + 1 / 21;
  sum = sum * f2 + 1 / 19;
  sum = sum * f2 + 1 / 17;
  sum = sum * f2 + 1 / 15;
  sum = sum * f2 + 1 / 13;
  sum = sum * f2 + 1 / 11;
  sum = sum * f2 + 1 / 9;
  sum = sum * f2 + 1 / 7;
  sum = sum * f2 + 1 / 5;
  sum = sum * f2 + 1 / 3;
  sum = sum * f2 + 1;
  return 2 * f * sum - e * Math.LN2;
}
