import { describe, expect, it } from 'vitest';
import { initialNoise, sampleSeeds } from './rng';
import { sample } from './sample';
import { karrasSigmas } from './schedule';
import { mixtureDenoiser, mixtureMoments, type Mixture1d } from './oracles';
import { SOLVER_NAMES, SOLVERS } from './solvers';
import type { SampleOptions, SolverName } from './types';

const mixture: Mixture1d = { weights: [0.3, 0.7], means: [-1, 0.8], stds: [0.3, 0.2] };
const denoise = mixtureDenoiser(mixture);
const truth = mixtureMoments(mixture);

/** The EDM polynomial grid with any step count (karrasSigmas stops at 1,000). */
function karrasPolynomial(steps: number): number[] {
  const a = 80 ** (1 / 7);
  const b = 0.002 ** (1 / 7);
  return [...Array.from({ length: steps }, (_, i) => (a + (i / (steps - 1)) * (b - a)) ** 7), 0];
}

describe('Gaussian-mixture oracle', () => {
  it('deterministic solvers agree to 1e-3 at high NFE', async () => {
    const x = initialNoise([11], 64, 80);
    // Euler is first order and needs about 5,000 steps for 1e-3, over the 1,000-step limit of one
    // call; the ODE flow composes, so it runs as five consecutive 1,000-step calls.
    const fine = karrasPolynomial(5000);
    let euler = x;
    for (let k = 0; k < 5; k++) {
      const sigmas = fine.slice(k * 1000, (k + 1) * 1000 + 1);
      euler = (await sample({ solver: 'euler', denoise, sigmas, x: euler })).x;
    }
    const outs = [euler];
    for (const solver of ['heun', 'dpmpp-2m', 'ipndm'] as SolverName[]) {
      outs.push((await sample({ solver, denoise, sigmas: karrasSigmas(500), x })).x);
    }
    for (const o of outs) {
      for (let j = 0; j < x.length; j++) expect(Math.abs(o[j] - outs[1][j])).toBeLessThan(1e-3);
    }
  });

  /*
   * 200 samples x 100 values = 20,000 draws. Standard errors: mean sqrt(var/n) ~ 0.0064,
   * variance var * sqrt((kurt - 1)/n) ~ 0.01; we allow 5 standard errors plus the solver's
   * discretisation bias at 80 steps.
   */
  const stochastic: [string, Partial<SampleOptions>][] = SOLVER_NAMES.filter(
    (s) => SOLVERS[s].stochastic,
  ).map((solver) => [
    solver,
    SOLVERS[solver].churn ? { solver, churn: 40, sTmin: 0.01, sTmax: 50 } : { solver },
  ]);
  it.each(stochastic)('%s matches the mixture mean and variance', async (_, extra) => {
    const batch = 200;
    const size = 100;
    const seeds = sampleSeeds(batch, 1000);
    const { x } = await sample({
      solver: 'euler',
      denoise,
      sigmas: karrasSigmas(80),
      x: initialNoise(seeds, size, 80),
      batch,
      seed: 5000,
      ...extra,
    });
    const n = x.length;
    const mean = x.reduce((a, v) => a + v, 0) / n;
    const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - truth.mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - truth.variance)).toBeLessThan(0.06);
    // The modes are reproduced, not only the first two moments.
    const left = x.filter((v) => v < -0.1).length / n;
    expect(Math.abs(left - 0.3)).toBeLessThan(0.02);
  });
});
