import { isSolverName, SOLVERS } from '../core';
import type { Manifest } from './manifest';

const fmt = (n: number) => n.toLocaleString('en');

/** A config's `pMix` (src/train/trainer/config.ts), which this layer cannot import. */
interface NoiseMix {
  share: number;
  mean: number;
  std: number;
}

function noiseMix(v: unknown): NoiseMix | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { share, mean, std } = v as Record<string, unknown>;
  return typeof share === 'number' && typeof mean === 'number' && typeof std === 'number'
    ? { share, mean, std }
    : undefined;
}

function densityText(mean: number, std: number, mix: NoiseMix | undefined): string {
  const normal = (m: number, s: number) => `N(${m}, ${s}^2)`;
  if (!mix) return normal(mean, std);
  const keep = Math.round((1 - mix.share) * 1e6) / 1e6;
  return `${keep} ${normal(mean, std)} + ${mix.share} ${normal(mix.mean, mix.std)}`;
}

/** The training recipe as a reader needs it; fields a config lacks (older runs) are left out. */
export function recipeText(config: Record<string, unknown>): string {
  const n = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined);
  const schedule = typeof config.lrSchedule === 'string' ? config.lrSchedule : 'constant';
  const decay = n('lrDecaySteps');
  const after =
    schedule === 'constant'
      ? 'then constant'
      : `then ${schedule}${decay === undefined ? '' : ` over ${fmt(decay)} planned steps`}`;
  const ema = n('emaHalfLifeImages');
  const ramp = n('emaRampup');
  const pMean = n('pMean');
  const pStd = n('pStd');
  const mix = noiseMix(config.pMix);
  const from = config.initFrom as { model?: unknown; steps?: unknown } | undefined;
  return [
    ...(from && typeof from.model === 'string' && typeof from.steps === 'number'
      ? [
          `continued from ${from.model} (${fmt(from.steps)} steps) for ${fmt(n('steps') ?? 0)} steps`,
        ]
      : []),
    `batch ${n('batch') ?? '?'}`,
    `Adam lr ${n('lr') ?? '?'} (${fmt(n('warmupSteps') ?? 0)} warm-up steps, ${after})`,
    ...(ema === undefined
      ? []
      : [
          `EMA half-life min(${fmt(ema)} images${ramp === undefined ? '' : `, ${ramp * 100}% of the images seen`})`,
        ]),
    // EDM's training noise levels are the default; only another density is worth a mention.
    ...(pMean === undefined || pStd === undefined || (pMean === -1.2 && pStd === 1.2 && !mix)
      ? []
      : [`noise ln(sigma) ~ ${densityText(pMean, pStd, mix)}`]),
  ].join(', ');
}

/**
 * The setting a model's quality is quoted at: near convergence for every solver the project
 * ships, so it shows what the network learnt rather than what a few steps can reach.
 */
export const QUALITY_SETTING = { solver: 'dpmpp-2m', nfe: 20 } as const;

/** "FID proxy 142.10 at DPM-Solver++(2M) NFE 20 (500 samples; 4.2x the real-data floor of 33.80)". */
export function qualityText(m: Pick<Manifest, 'evaluation'>): string | null {
  const e = m.evaluation;
  const r = e?.results.find(
    (x) => x.solver === QUALITY_SETTING.solver && x.nfe === QUALITY_SETTING.nfe && !x.afs,
  );
  if (!e || !r || r.fidProxy === null) return null;
  const label = isSolverName(r.solver) ? SOLVERS[r.solver].label : r.solver;
  const floor =
    e.floor === undefined || e.floor <= 0
      ? ''
      : `; ${(r.fidProxy / e.floor).toFixed(1)}x the real-data floor of ${e.floor.toFixed(2)}`;
  return `FID proxy ${r.fidProxy.toFixed(2)} at ${label} NFE ${r.nfe} (${fmt(e.samples)} samples${floor})`;
}

/** One line per model for a visitor: how long it trained, on what recipe, and how it scores. */
export function modelSummary(m: Pick<Manifest, 'kind' | 'training' | 'evaluation'>): string {
  const batch = m.training.config.batch;
  const steps = `${fmt(m.training.steps)} steps${typeof batch === 'number' ? ` x ${batch} images` : ''}`;
  const quality = qualityText(m) ?? 'not evaluated';
  // A model made without our trainer (imported, or a test fixture) has no recipe to state.
  const recipe = 'lr' in m.training.config ? `${recipeText(m.training.config)}; ` : '';
  return `${m.kind === 'qac' ? 'QAC' : 'Baseline'}: ${steps}; ${recipe}${quality}.`;
}
