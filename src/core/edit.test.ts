import { describe, expect, it } from 'vitest';
import { edit, type CodeDenoise } from './edit';
import {
  colorization,
  inpainting,
  superResolution,
  upsampleNearest,
  type EditOperator,
  type ImageShape,
} from './editOperators';
import { mixtureDenoiser } from './oracles';
import { Rng } from './rng';
import { karrasSigmas } from './schedule';

const rgb: ImageShape = { channels: 3, height: 8, width: 8 };
const randomImage = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => 2 * r.uniform() - 1);
};
const operators: [string, EditOperator][] = [
  [
    'inpainting',
    inpainting(
      rgb,
      Uint8Array.from({ length: 64 }, (_, j) => (j % 3 === 0 ? 1 : 0)),
    ),
  ],
  ['colorization', colorization(rgb)],
  ['super-resolution x2', superResolution(rgb, 2)],
  ['super-resolution x4', superResolution(rgb, 4)],
];

/*
 * Tolerance: the operators are orthonormal and computed in float64, so the only error is storing
 * float32 results twice: each output value is a sum of at most 16 terms of magnitude <= 1, giving
 * at most 16 * 2^-24 ~ 1e-6 for images in [-1, 1]. We assert 2e-6.
 */
const TOL = 2e-6;

describe('editing operators', () => {
  it.each(operators)('%s: A^-1 A = I and A A^-1 = I, and A keeps norms', (_, op) => {
    const x = randomImage(op.size, 1);
    const c = new Float32Array(op.size);
    const back = new Float32Array(op.size);
    op.forward(x, c);
    op.inverse(c, back);
    back.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThan(TOL));
    op.inverse(x, c);
    op.forward(c, back);
    back.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThan(TOL));
    const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    op.forward(x, c);
    expect(norm(c)).toBeCloseTo(norm(x), 4);
  });

  it('colorization keeps luminance (r+g+b)/sqrt3 as coefficient 0 and generates chroma', () => {
    const op = colorization(rgb);
    const x = randomImage(op.size, 2);
    const c = new Float32Array(op.size);
    op.forward(x, c);
    expect(c[5]).toBeCloseTo((x[5] + x[64 + 5] + x[128 + 5]) / Math.sqrt(3), 6);
    expect(op.mask.slice(0, 64).every((m) => m === 0)).toBe(true);
    expect(op.mask.slice(64).every((m) => m === 1)).toBe(true);
  });

  it('super-resolution keeps f * block mean; a nearest-upsampled image has no detail', () => {
    const shape = { channels: 1, height: 8, width: 8 };
    for (const f of [2, 4] as const) {
      const op = superResolution(shape, f);
      const low = randomImage(64 / (f * f), 3);
      const z = upsampleNearest(low, shape, f);
      const c = new Float32Array(64);
      op.forward(z, c);
      c.forEach((v, m) => {
        if (op.mask[m] === 0) {
          const y = Math.floor(m / 8) / f;
          const x = (m % 8) / f;
          expect(v).toBeCloseTo(f * low[y * (8 / f) + x], 5);
        } else expect(Math.abs(v)).toBeLessThan(TOL);
      });
      expect(op.mask.reduce((a, b) => a + b, 0)).toBe(64 - 64 / (f * f));
    }
  });

  it('rejects bad shapes and masks', () => {
    expect(() => colorization({ channels: 1, height: 4, width: 4 })).toThrow(/needs 3 channels/);
    expect(() => superResolution({ channels: 1, height: 6, width: 8 }, 4)).toThrow(/not divisible/);
    expect(() => inpainting(rgb, [1, 0])).toThrow(/mask has 2 values, expected 64 or 192/);
    expect(() => inpainting({ channels: 1, height: 1, width: 2 }, [1, 2])).toThrow(/not 0 or 1/);
  });
});

const mixture = mixtureDenoiser({ weights: [0.4, 0.6], means: [-0.6, 0.5], stds: [0.2, 0.3] });
const denoiseWithCode: CodeDenoise = (x, s) => mixture(x, s);
/** Two code bits per sample: the signs of its first two values. */
const encodeSigns = (size: number) => (x: Float32Array) =>
  Float32Array.from({ length: (2 * x.length) / size }, (_, i) =>
    x[Math.floor(i / 2) * size + (i % 2)] >= 0 ? 1 : -1,
  );

describe('Algorithm 2', () => {
  it.each(operators)('%s keeps the known coefficients of the reference', async (_, op) => {
    const z = randomImage(op.size, 4);
    let encodes = 0;
    const { x, nfe } = await edit({
      operator: op,
      reference: z,
      denoise: denoiseWithCode,
      encode: (v) => {
        encodes++;
        return encodeSigns(op.size)(v);
      },
      seed: 3,
    });
    expect(nfe).toBe(40);
    expect(encodes).toBe(40);
    const cz = new Float32Array(op.size);
    const cx = new Float32Array(op.size);
    op.forward(z, cz);
    op.forward(x, cx);
    let changed = 0;
    for (let m = 0; m < op.size; m++) {
      if (op.mask[m] === 0) {
        if (op.name === 'inpainting') expect(x[m]).toBe(z[m]);
        else expect(Math.abs(cx[m] - cz[m])).toBeLessThan(TOL);
      } else if (Math.abs(cx[m] - cz[m]) > 1e-3) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('passes the encoder code of the current image to the denoiser', async () => {
    const op = inpainting({ channels: 1, height: 2, width: 2 }, [0, 1, 1, 0]);
    const seen: number[][] = [];
    await edit({
      operator: op,
      reference: new Float32Array([0.5, 0, 0, -0.5]),
      denoise: (x, s, code) => {
        seen.push([...code]);
        return mixture(x, s);
      },
      encode: (x) => new Float32Array([x[0] >= 0 ? 1 : -1, 7]),
      sigmas: karrasSigmas(5),
    });
    expect(seen).toHaveLength(5);
    for (const code of seen) expect(code).toEqual([1, 7]);
  });

  it('sample k of a batch equals the batch-1 edit with seed + k', async () => {
    const op = superResolution({ channels: 1, height: 4, width: 4 }, 2);
    const z = randomImage(48, 5);
    const common = {
      operator: op,
      denoise: denoiseWithCode,
      encode: encodeSigns(16),
      sigmas: karrasSigmas(8),
    };
    const all = await edit({ ...common, reference: z, batch: 3, seed: 10 });
    for (let k = 0; k < 3; k++) {
      const one = await edit({ ...common, reference: z.slice(16 * k, 16 * (k + 1)), seed: 10 + k });
      expect(all.x.subarray(16 * k, 16 * (k + 1))).toEqual(one.x);
    }
  });

  it('rejects bad input and stops on NaN naming the step', async () => {
    const op = inpainting({ channels: 1, height: 2, width: 2 }, [0, 1, 1, 0]);
    const base = { operator: op, denoise: denoiseWithCode, encode: encodeSigns(4) };
    await expect(edit({ ...base, reference: new Float32Array(5) })).rejects.toThrow(
      /reference has 5 values, expected batch 1 x 4/,
    );
    await expect(edit({ ...base, reference: new Float32Array(4), sigmas: [1, 3] })).rejects.toThrow(
      /strictly decreasing/,
    );
    let calls = 0;
    const bad: CodeDenoise = (x) => (++calls === 3 ? x.map(() => Number.NaN) : x.slice());
    await expect(edit({ ...base, denoise: bad, reference: new Float32Array(4) })).rejects.toThrow(
      /denoiser returned NaN at step 2/,
    );
  });
});

describe('inpainting with a Gaussian oracle', () => {
  /*
   * Data ~ N(mu, Sigma) on a 2x2 image with Sigma = Q diag(lam) Q^T (Q the orthonormal 4x4
   * Hadamard matrix): D(x; sigma) = mu + Q diag(lam / (lam + sigma^2)) Q^T (x - mu). Pixels 0 and 3
   * are known. Everything is affine in the injected noise, so the mean over seeds follows the
   * noiseless iteration, which tends to the conditional mean mu_u + S_uk S_kk^-1 (z_k - mu_k) as
   * the grid is refined (the samples' spread is smaller than the conditional variance: Algorithm 2
   * is not a posterior sampler).
   */
  const Q = [
    [1, 1, 1, 1],
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [1, -1, -1, 1],
  ].map((r) => r.map((v) => v / 2));
  const lam = [1, 0.3, 0.2, 0.05];
  const mu = [0.1, -0.2, 0.3, 0];
  const S = (i: number, j: number) => Q[i].reduce((a, q, k) => a + q * lam[k] * Q[j][k], 0);
  const denoise: CodeDenoise = (x, sigma) => {
    const m = Q.map((_, i) =>
      Q.map((__, j) =>
        Q[i].reduce((a, q, k) => a + (q * lam[k] * Q[j][k]) / (lam[k] + sigma ** 2), 0),
      ),
    );
    const out = new Float32Array(x.length);
    for (let b = 0; b < x.length; b += 4) {
      for (let i = 0; i < 4; i++) {
        let v = mu[i];
        for (let j = 0; j < 4; j++) v += m[i][j] * (x[b + j] - mu[j]);
        out[b + i] = v;
      }
    }
    return out;
  };
  const z = [0.9, 0, 0, -0.5];
  const det = S(0, 0) * S(3, 3) - S(0, 3) ** 2;
  const w0 = (S(3, 3) * (z[0] - mu[0]) - S(0, 3) * (z[3] - mu[3])) / det;
  const w3 = (S(0, 0) * (z[3] - mu[3]) - S(0, 3) * (z[0] - mu[0])) / det;
  const conditional = [1, 2].map((u) => mu[u] + S(u, 0) * w0 + S(u, 3) * w3);

  it('the mean over seeds converges to the conditional mean', async () => {
    const batch = 2000;
    const op = inpainting({ channels: 1, height: 2, width: 2 }, [0, 1, 1, 0]);
    const reference = new Float32Array(batch * 4);
    for (let b = 0; b < batch; b++) reference.set(z, 4 * b);
    const errs: number[] = [];
    for (const steps of [10, 40, 250]) {
      const { x } = await edit({
        operator: op,
        reference,
        denoise,
        encode: () => new Float32Array(batch),
        batch,
        sigmas: karrasSigmas(steps),
        seed: 77,
      });
      const mean = [1, 2].map((u) => {
        let a = 0;
        for (let b = 0; b < batch; b++) a += x[4 * b + u];
        return a / batch;
      });
      errs.push(Math.max(...mean.map((m, i) => Math.abs(m - conditional[i]))));
    }
    console.info(
      `inpainting mean error vs conditional mean at N=10/40/250: ${errs.map((e) => e.toFixed(4)).join(' ')}`,
    );
    // Standard error of each mean: sqrt(0.085 / 2000) ~ 0.0065.
    expect(errs[1]).toBeLessThan(errs[0]);
    expect(errs[2]).toBeLessThan(errs[1]);
    expect(errs[2]).toBeLessThan(0.035);
  });
});
