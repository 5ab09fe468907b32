import { describe, expect, it } from 'vitest';
import { Rng } from '../../core';
import { DEFAULT_TRAIN, type TrainConfig } from './config';
import { stepNoise } from './noise';

const config = (over: Partial<TrainConfig>) =>
  ({ ...DEFAULT_TRAIN, batch: 4000, ...over }) as TrainConfig;

describe('stepNoise', () => {
  it('draws ln(sigma) from the single normal when there is no mixture', () => {
    const { sigma } = stepNoise(config({ pMean: -0.6, pStd: 1.4 }), 7, 1);
    const ln = Array.from(sigma, Math.log);
    const mean = ln.reduce((a, b) => a + b) / ln.length;
    const sd = Math.sqrt(ln.reduce((a, b) => a + (b - mean) ** 2, 0) / ln.length);
    expect(mean).toBeCloseTo(-0.6, 1);
    expect(sd).toBeCloseTo(1.4, 1);
  });

  it('takes the mixture component with its share, and the same draws on every call', () => {
    const c = config({ pMix: { share: 0.25, mean: 6, std: 0.01 } });
    const { sigma } = stepNoise(c, 3, 1);
    const far = sigma.filter((s) => Math.abs(Math.log(s) - 6) < 0.05).length / sigma.length;
    expect(far).toBeGreaterThan(0.22);
    expect(far).toBeLessThan(0.28);
    expect(stepNoise(c, 3, 1).sigma).toEqual(sigma);
    expect(stepNoise(c, 4, 1).sigma).not.toEqual(sigma);
  });

  it('gives a run without a mixture the same levels as before mixtures existed', () => {
    const c = config({ batch: 8 });
    const rng = new Rng(c.seed, (1 << 30) + 5);
    const expected = Float32Array.from({ length: 8 }, () => Math.exp(-1.2 + 1.2 * rng.normal()));
    expect(stepNoise(c, 5, 1).sigma).toEqual(expected);
  });
});
