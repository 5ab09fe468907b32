import { describe, expect, it } from 'vitest';
import { mixtureDenoiser } from './oracles';
import { initialNoise } from './rng';
import { sample, sampleWith } from './sample';
import { karrasSigmas, type GridEnd } from './schedule';
import { SOLVER_NAMES, SOLVERS } from './solvers';
import type { SolverName } from './types';
import { cpuOps, type VecOps } from './vec';

const n = 7;
const vec = (k: number) =>
  Float32Array.from({ length: n }, (_, j) => Math.sin(3 * k + j) * (k + 1));

describe('cpuOps', () => {
  it.each([1, 2, 3, 4, 5, 6])('lincomb of %i terms is the weighted sum', (terms) => {
    const ops = cpuOps(n);
    const v = Array.from({ length: terms }, (_, k) => vec(k));
    const c = v.map((_, k) => 0.5 - 0.3 * k);
    const out = ops.lincomb(c, v) as Float32Array;
    for (let j = 0; j < n; j++) {
      expect(out[j]).toBeCloseTo(
        v.reduce((s, w, k) => s + c[k] * w[j], 0),
        5,
      );
    }
    v.forEach((w, k) => expect(w).toEqual(vec(k)));
  });

  it('writes in place only into its own dying first term, and reuses freed arrays', () => {
    const ops = cpuOps(n);
    const outside = vec(0);
    const a = ops.lincomb([2], [outside], [outside]) as Float32Array;
    expect(a).not.toBe(outside);
    expect(outside).toEqual(vec(0));
    const b = ops.lincomb([1, 1], [a, outside], [a]) as Float32Array;
    expect(b).toBe(a);
    b.forEach((v, j) => expect(v).toBeCloseTo(3 * outside[j], 5));
    ops.free(b);
    expect(ops.keep(outside)).toBe(b);
  });

  it('keeps an independent copy', () => {
    const ops = cpuOps(n);
    const a = ops.lincomb([1], [vec(1)]) as Float32Array;
    const kept = ops.keep(a) as Float32Array;
    ops.lincomb([0], [a], [a]);
    expect(kept).toEqual(vec(1));
  });

  it('names mismatched terms', () => {
    const ops = cpuOps(n);
    expect(() => ops.lincomb([1, 2], [vec(0)])).toThrow(/one coefficient per vector, got 2 and 1/);
    expect(() => ops.lincomb([1], [new Float32Array(3)])).toThrow(/3 values, expected 7/);
  });
});

/** cpuOps behind boxes that must each be freed exactly once: finds any leaked or reused vector. */
function strictOps(length: number) {
  const inner = cpuOps(length);
  const live = new Set<{ v: Float32Array }>();
  type Box = { v: Float32Array };
  const box = (v: Float32Array): Box => {
    const b = { v };
    live.add(b);
    return b;
  };
  const unbox = (b: Box): Float32Array => {
    if (!live.has(b)) throw new Error('a freed vector was used');
    return b.v;
  };
  const ops: VecOps<Box> = {
    length,
    async lincomb(c, v, drop) {
      const out = box(Float32Array.from(inner.lincomb(c, v.map(unbox)) as Float32Array));
      drop?.forEach((d) => ops.free(d));
      return out;
    },
    keep: async (b) => box(unbox(b).slice()),
    fromCpu: (fill) => box(inner.fromCpu(fill)),
    free(b) {
      if (b && !live.delete(b)) throw new Error('a vector was freed twice');
    },
  };
  return { ops, live, box, unbox };
}

describe('sampleWith', () => {
  const denoise = mixtureDenoiser({ weights: [0.5, 0.5], means: [-0.7, 0.6], stds: [0.3, 0.3] });
  const xT = initialNoise([5, 6], 4, 80);
  const cases = SOLVER_NAMES.flatMap((s): [SolverName, boolean, GridEnd][] =>
    (SOLVERS[s].afs ? [false, true] : [false]).flatMap((afs) =>
      (['zero', 'sigmaMin'] as const).map((end): [SolverName, boolean, GridEnd] => [s, afs, end]),
    ),
  );

  it.each(cases)(
    '%s (afs %s, grid %s): same result as sample(), every vector freed once',
    async (solver, afs, end) => {
      const opts = {
        solver,
        sigmas: karrasSigmas(5, { end }),
        batch: 2,
        afs,
        seed: 3,
        churn: SOLVERS[solver].churn ? 20 : undefined,
      };
      const expected = await sample({ ...opts, denoise, x: xT });
      const { ops, live, box, unbox } = strictOps(xT.length);
      const x = box(xT.slice());
      let reports = 0;
      const out = await sampleWith({
        ...opts,
        ops,
        x,
        denoise: async (b, sigma) => box(Float32Array.from(await denoise(unbox(b), sigma))),
        onStep: (s) => {
          reports++;
          [s.x, s.denoised, s.d].forEach((v) => ops.free(v));
        },
      });
      expect(out.nfe).toBe(expected.nfe);
      expect(reports).toBe(5);
      const got = unbox(out.x);
      got.forEach((v, j) => expect(v).toBeCloseTo(expected.x[j], 5));
      ops.free(out.x);
      ops.free(x);
      expect(live.size).toBe(0);
    },
  );
});
