import { geometricMean, geometricMeanReplicates, pairedRatios, percentileInterval } from '../eval';
import type { HeadlineEval, HeadlineSetting } from './headline';

/** A QAC/baseline FID-proxy ratio with its paired-bootstrap 95% interval. */
export interface Ratio {
  value: number;
  lo: number;
  hi: number;
}

interface HeadlineRow {
  solver: string;
  afs: boolean;
  nfe: number;
  target: boolean;
  /** Per seed, in the order of `seeds`. */
  qac: number[];
  baseline: number[];
  perSeed: Ratio[];
  pooled: Ratio;
}

export interface HeadlineComparison {
  n: number;
  seeds: number[];
  resamples: number;
  rows: HeadlineRow[];
  /** Geometric mean of the ratio over the target settings, per seed and pooled. */
  target: { perSeed: Ratio[]; pooled: Ratio; settings: number };
}

/** Where a ratio's interval lies: clear of 1 on either side, or containing it (inside the noise). */
export function verdict(r: Ratio): 'QAC better' | 'QAC worse' | 'inside the noise' {
  if (r.hi < 1) return 'QAC better';
  if (r.lo > 1) return 'QAC worse';
  return 'inside the noise';
}

function ratio(q: number, b: number, qReps: readonly number[], bReps: readonly number[]): Ratio {
  const [lo, hi] = percentileInterval(pairedRatios(qReps, bReps));
  return { value: q / b, lo, hi };
}

function fromReplicates(value: number, reps: readonly number[]): Ratio {
  const [lo, hi] = percentileInterval(reps);
  return { value, lo, hi };
}

const key = (s: Pick<HeadlineSetting, 'solver' | 'afs' | 'nfe'>) => `${s.solver}/${s.afs}/${s.nfe}`;

/**
 * Pairs the headline evaluations of a QAC model and its baseline. They must share what makes
 * the replicates paired (n, seeds, resamples, bootstrap seed) and what makes the FIDs comparable
 * (classifier and grid); anything else is an error rather than a silently wrong interval.
 */
export function compareHeadline(q: HeadlineEval, b: HeadlineEval): HeadlineComparison {
  const same = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y))
      throw new Error(
        `headline: ${q.model} and ${b.model} differ in ${what} (${JSON.stringify(x)} vs ${JSON.stringify(y)}); evaluate both the same way`,
      );
  };
  same('n', q.n, b.n);
  same('seeds', q.seeds, b.seeds);
  same('resamples', q.resamples, b.resamples);
  same('bootstrap seed', q.bootstrapSeed, b.bootstrapSeed);
  same('classifier', q.classifierSha256, b.classifierSha256);
  same('grid', q.end, b.end);
  const base = new Map(b.settings.map((s) => [key(s), s]));
  const rows: HeadlineRow[] = [];
  for (const s of q.settings) {
    const t = base.get(key(s));
    if (!t) continue;
    rows.push({
      solver: s.solver,
      afs: s.afs,
      nfe: s.nfe,
      target: s.target,
      qac: s.seeds.map((x) => x.fidProxy),
      baseline: t.seeds.map((x) => x.fidProxy),
      perSeed: s.seeds.map((x, i) =>
        ratio(x.fidProxy, t.seeds[i]!.fidProxy, x.bootstrap, t.seeds[i]!.bootstrap),
      ),
      pooled: ratio(s.pooled.fidProxy, t.pooled.fidProxy, s.pooled.bootstrap, t.pooled.bootstrap),
    });
  }
  const targets = rows.filter((r) => r.target);
  if (targets.length === 0)
    throw new Error(`headline: ${q.model} and ${b.model} share no target setting`);
  const targetSettings = q.settings.filter((s) => s.target && base.has(key(s)));
  const gm = (pick: (s: HeadlineSetting) => { fid: number; reps: number[] }) => {
    const ratios = targetSettings.map((s) => {
      const a = pick(s);
      const c = pick(base.get(key(s))!);
      return { value: a.fid / c.fid, reps: pairedRatios(a.reps, c.reps) };
    });
    return fromReplicates(
      geometricMean(ratios.map((r) => r.value)),
      geometricMeanReplicates(ratios.map((r) => r.reps)),
    );
  };
  return {
    n: q.n,
    seeds: q.seeds,
    resamples: q.resamples,
    rows,
    target: {
      perSeed: q.seeds.map((_, i) =>
        gm((s) => ({ fid: s.seeds[i]!.fidProxy, reps: s.seeds[i]!.bootstrap })),
      ),
      pooled: gm((s) => ({ fid: s.pooled.fidProxy, reps: s.pooled.bootstrap })),
      settings: targetSettings.length,
    },
  };
}
