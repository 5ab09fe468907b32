import { describe, expect, it } from 'vitest';
import type { HeadlineEval, HeadlineSetting } from './headline';
import { compareHeadline, verdict } from './headline-compare';
import { headlineSection, yardstickAgreement } from './headline-markdown';
import { solverLabel } from './solver-label';

/** A headline setting whose replicates spread around `fid` by +-spread (deterministic). */
function setting(
  solver: string,
  nfe: number,
  fid: number,
  spread: number,
  target = true,
): HeadlineSetting {
  const reps = (c: number) => Array.from({ length: 40 }, (_, r) => c * (1 + spread * Math.sin(r)));
  return {
    solver,
    afs: false,
    nfe,
    target,
    seeds: [0, 100_000].map((seed, i) => ({
      seed,
      fidProxy: fid * (1 + 0.01 * i),
      curvature: 0,
      seconds: 1,
      bootstrap: reps(fid * (1 + 0.01 * i)),
    })),
    pooled: { fidProxy: fid, bootstrap: reps(fid) },
  };
}

function model(name: string, settings: HeadlineSetting[]): HeadlineEval {
  return {
    format: 'qac-playground-headline',
    version: 1,
    model: name,
    kind: name.endsWith('qac') ? 'qac' : 'baseline',
    classifier: 'c',
    classifierSha256: 'a'.repeat(64),
    end: 'sigmaMin',
    n: 2000,
    seeds: [0, 100_000],
    resamples: 40,
    bootstrapSeed: 1,
    settings,
  };
}

describe('compareHeadline', () => {
  const q = model('m-qac', [
    setting('euler', 4, 5, 0.1),
    setting('dpmpp-2m', 4, 10, 0.3),
    setting('dpmpp-2m', 10, 3, 0.1, false),
  ]);
  const b = model('m-baseline', [
    setting('euler', 4, 10, 0.1),
    setting('dpmpp-2m', 4, 10, 0.3),
    setting('dpmpp-2m', 10, 4, 0.1, false),
  ]);

  it('forms ratios and intervals replicate by replicate, and the geometric mean of the targets', () => {
    const c = compareHeadline(q, b);
    const euler = c.rows[0]!;
    expect(euler.pooled.value).toBeCloseTo(0.5, 12);
    // The replicates move together in both models, so their paired ratio does not move at all.
    expect(euler.pooled.lo).toBeCloseTo(0.5, 12);
    expect(euler.pooled.hi).toBeCloseTo(0.5, 12);
    expect(verdict(euler.pooled)).toBe('QAC better');
    expect(verdict(c.rows[1]!.pooled)).toBe('inside the noise');
    expect(c.target.settings).toBe(2);
    expect(c.target.pooled.value).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(c.target.perSeed).toHaveLength(2);
    const text = headlineSection(c, {
      heldOutHalves: { fidProxy: 1.5, n: 5000 },
      trainVsHeldOut: { fidProxy: 2.5, n: 2000 },
      degraded: [
        { degradation: { kind: 'blur', sigma: 1 }, fidProxy: 250 },
        { degradation: { kind: 'noise', std: 0.1 }, fidProxy: 2 },
      ],
    }).join('\n');
    // Settings are named by their registry labels.
    const dpm = solverLabel({ solver: 'dpmpp-2m', afs: false });
    const eul = solverLabel({ solver: 'euler', afs: false });
    expect(text).toContain(`Inside the noise (interval contains 1): ${dpm} NFE 4.`);
    expect(text).toContain(`QAC better: ${eul} NFE 4;`);
    expect(text).toContain(`${dpm} NFE 10 (reference)`);
    expect(dpm).not.toBe('dpmpp-2m');
    expect(text).toMatch(/baseline 4\.00 \/ 4\.04, QAC 3\.00 \/ 3\.03/);
    expect(text).toContain(
      'Gaussian blur sigma 1 px 250.00, Gaussian noise std 0.1 2.00 (undamaged 1.50)',
    );
    expect(text).toContain('the features barely see Gaussian noise std 0.1 (less than twice');
  });

  it('refuses pairs whose replicates are not paired', () => {
    expect(() => compareHeadline(q, { ...b, seeds: [0, 5000] })).toThrow(/differ in seeds/);
    expect(() => compareHeadline(q, { ...b, n: 500 })).toThrow(/differ in n/);
    expect(() => compareHeadline(q, { ...b, classifierSha256: 'b'.repeat(64) })).toThrow(
      /differ in classifier/,
    );
  });

  it('names the settings on which a second yardstick agrees and those on which it does not', () => {
    const first = compareHeadline(q, b);
    // On the second net Euler NFE 4 is a tie and DPM++(2M) NFE 4 turns clearly worse for QAC.
    const second = compareHeadline(
      model('m-qac', [setting('euler', 4, 8, 0.3), setting('dpmpp-2m', 4, 12, 0.05)]),
      model('m-baseline', [setting('euler', 4, 8, 0.3), setting('dpmpp-2m', 4, 6, 0.05)]),
    );
    const dpm = solverLabel({ solver: 'dpmpp-2m', afs: false });
    const eul = solverLabel({ solver: 'euler', afs: false });
    const text = yardstickAgreement('clf-a', first, 'clf-b', second).join('\n');
    expect(text).toContain('QAC better on both: none; QAC worse on both: none.');
    expect(text).toContain(
      `They disagree on: ${eul} NFE 4 (QAC better on \`clf-a\`, inside the noise on \`clf-b\`); ${dpm} NFE 4 (inside the noise on \`clf-a\`, QAC worse on \`clf-b\`).`,
    );
    expect(text).toMatch(/geometric mean 0\.71 .* on `clf-a`, 1\.41 .* on `clf-b`/);
    const same = yardstickAgreement('clf-a', first, 'clf-a', first).join('\n');
    expect(same).toContain(`QAC better on both: ${eul} NFE 4;`);
    expect(same).toContain('They disagree on: none of the target settings.');
  });
});
