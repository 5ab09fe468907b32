import type { GridEnd } from '../../core';
import type { Manifest } from '../../runtime';
import type { ClassifierInfo } from '../eval';
import type { CodeUsageStats } from './code-usage';
import type { HeadlineEval } from './headline';
import type { HeadlineComparison } from './headline-compare';
import { classifierSentence, headlineSection, yardstickAgreement } from './headline-markdown';
import { evalEnd, REPORT_NFES, type ModelEval } from './plan';
import type { RealReference } from './reference';
import { solverLabel } from './solver-label';

interface ModelReport {
  folder: string;
  manifest: Manifest;
  /** Null until the model's grid is evaluated (the report can be built up one part at a time). */
  eval: ModelEval | null;
  headline: HeadlineEval | null;
}

/** A feature net other than the pair's own, scoring the same headline samples. */
export interface SecondYardstick {
  folder: string;
  classifier: ClassifierInfo;
  headline: HeadlineComparison;
  reference: RealReference;
}

export interface PairReport {
  id: string;
  label: string;
  /** usage, reference, plot and grid are null while nothing of the pair is evaluated. */
  qac: ModelReport & { usage: CodeUsageStats | null };
  baseline: ModelReport;
  classifier: ClassifierInfo;
  /** Null when either model has no stored headline evaluation. */
  headline: HeadlineComparison | null;
  reference: RealReference | null;
  plot: string | null;
  grid: string | null;
  gridSolver: string;
  /** Empty where the dataset has no second yardstick or it has not scored both models. */
  second: SecondYardstick[];
}

const fmt = (n: number) => n.toLocaleString('en');
const pct = (qac: number, base: number) =>
  `${qac <= base ? '-' : '+'}${((100 * Math.abs(qac - base)) / base).toFixed(0)}%`;
export { solverLabel };

function trainingTable(p: PairReport): string[] {
  const row = (name: string, m: Manifest) => {
    const cfg = m.training.config as { batch?: number };
    const batch = cfg.batch ?? 0;
    const ips = (m.training.steps * batch) / m.training.wallTimeSeconds;
    return `| ${name} | ${m.kind} | ${fmt(m.training.steps)} x ${batch} | ${(m.training.wallTimeSeconds / 60).toFixed(1)} min | ${ips.toFixed(1)} | ${fmt(m.parameters.denoiser)} | ${m.parameters.encoder ? fmt(m.parameters.encoder) : '-'} | ${m.code ? `${m.code.bits} x ${m.code.levels} levels` : '-'} |`;
  };
  return [
    '| model | kind | steps x batch | wall time | images/s | denoiser params | encoder params | code |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    row(p.qac.folder, p.qac.manifest),
    row(p.baseline.folder, p.baseline.manifest),
  ];
}

function fidTable(qe: ModelEval, be: ModelEval): string[] {
  const out = [
    '| solver | NFE | QAC FID proxy | baseline FID proxy | QAC vs baseline | QAC curvature | baseline curvature |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const q of qe.settings) {
    const b = be.settings.find(
      (s) => s.solver === q.solver && s.afs === q.afs && s.requestedNfe === q.requestedNfe,
    );
    if (!b) continue;
    const nfe = q.nfe === q.requestedNfe ? `${q.nfe}` : `${q.nfe} (asked ${q.requestedNfe})`;
    out.push(
      `| ${solverLabel(q)} | ${nfe} | ${q.fidProxy.toFixed(2)} | ${b.fidProxy.toFixed(2)} | ${pct(q.fidProxy, b.fidProxy)} | ${q.curvature.toFixed(4)} | ${b.curvature.toFixed(4)} |`,
    );
  }
  return out;
}

function curvatureSummary(qe: ModelEval, be: ModelEval): string[] {
  const mean = (e: ModelEval, label: string) => {
    const xs = e.settings.filter((s) => solverLabel(s) === label).map((s) => s.curvature);
    return xs.reduce((a, v) => a + v, 0) / xs.length;
  };
  const labels = [...new Set(qe.settings.map(solverLabel))];
  return [
    '| solver | QAC mean curvature | baseline mean curvature | QAC vs baseline |',
    '| --- | --- | --- | --- |',
    ...labels.map((l) => {
      const q = mean(qe, l);
      const b = mean(be, l);
      return `| ${l} | ${q.toFixed(4)} | ${b.toFixed(4)} | ${pct(q, b)} |`;
    }),
  ];
}

function usageTable(u: CodeUsageStats): string[] {
  return [
    '| codebook | codes with sampling weight | perplexity of the weights | distinct codes on held-out images | perplexity on held-out images | sampling weight on those codes |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${fmt(u.codebook)} | ${fmt(u.weightedCodes)} | ${u.weightPerplexity.toFixed(1)} | ${fmt(u.heldOutCodes)} of ${fmt(u.heldOutImages)} images | ${u.heldOutPerplexity.toFixed(1)} | ${(100 * u.weightOnHeldOutCodes).toFixed(1)}% |`,
  ];
}

function gridSentence(end: GridEnd): string {
  return end === 'sigmaMin'
    ? 'Grid: Karras (rho 7), N steps over N + 1 levels from sigma_max to sigma_min, the sample taken at sigma_min (diff-sampler).'
    : 'Grid: Karras (rho 7), N - 1 steps from sigma_max to sigma_min, then a last step to 0 (EDM).';
}

/** The commands that made the stored evaluations of these pairs, for the page's header. */
function evaluationCommands(pairs: readonly PairReport[]): string[] {
  const out: string[] = [];
  const headline = (h: { n: number; seeds: number[]; resamples: number }, folder: string) =>
    `npm run report -- --part headline --headline-n ${h.n} --headline-seeds ${h.seeds.join(',')} --resamples ${h.resamples} --eval-model ${folder}`;
  for (const p of pairs) {
    for (const m of [p.qac, p.baseline]) {
      if (m.eval) {
        const seed = m.eval.seed ? ` --seed ${m.eval.seed}` : '';
        out.push(`npm run report -- --part grid --n ${m.eval.n}${seed} --eval-model ${m.folder}`);
      }
      if (m.headline) out.push(headline(m.headline, m.folder));
    }
    for (const y of p.second)
      for (const m of [p.qac, p.baseline])
        out.push(`${headline(y.headline, m.folder)} --yardstick ${y.folder}`);
  }
  return [...out, 'npm run report -- --render-only'];
}

/** REPORT.md: how to regenerate it, then per pair training, headline, grid, curvature, code usage. */
export function renderReport(pairs: readonly PairReport[], notes: string): string {
  const lines = [
    '# QAC vs baseline: model report',
    '',
    '`npm run report` evaluates every pair in `models/catalog.json` (its headline settings and its',
    'solver x NFE grid), then writes this file, the plots and sample grids under `models/report/`,',
    "each model's `headline.json`, `eval.json`, manifest evaluation and card. The work can be split",
    'over time and cores: `--eval-model FOLDER` evaluates one model and `--pair ID` one pair',
    '(`--part headline` or `--part grid` for one half), and `npm run report -- --render-only`',
    'rebuilds this page from the stored files without sampling. This page was made with:',
    '',
    ...evaluationCommands(pairs).map((c) => `- \`${c}\``),
    '',
    'Hand-written notes come from `models/report/notes.md` and are copied in at the end.',
    '',
  ];
  for (const p of pairs) {
    const hn = p.headline
      ? `n = ${fmt(p.headline.n)} x ${p.headline.seeds.length} seeds`
      : 'not run';
    lines.push(
      `## ${p.label} (\`${p.id}\`)`,
      '',
      ...trainingTable(p),
      '',
      classifierSentence(p.classifier),
      '',
      `### Headline (${hn})`,
      '',
      ...(p.headline && p.reference
        ? headlineSection(p.headline, p.reference)
        : [
            `No headline evaluation is stored for both models yet (\`npm run report -- --part headline --pair ${p.id}\`).`,
            '',
          ]),
    );
    for (const y of p.second)
      lines.push(
        `### Second yardstick: \`${y.folder}\` (n = ${fmt(y.headline.n)} x ${y.headline.seeds.length} seeds, the same samples)`,
        '',
        classifierSentence(y.classifier),
        '',
        ...headlineSection(y.headline, y.reference),
        ...(p.headline
          ? yardstickAgreement(p.classifier.name, p.headline, y.folder, y.headline)
          : []),
      );
    const e = p.qac.eval;
    const be = p.baseline.eval;
    if (e && be) {
      lines.push(
        `### Solver x NFE grid (n = ${fmt(e.n)}, one seed: noisier than the headline)`,
        '',
        `FID proxy: Frechet distance between the ${e.classifier} penultimate features of ${fmt(e.n)}`,
        `generated images per setting and of the held-out split; sample k uses seed ${e.seed} + k in`,
        'both models (same x_T; the QAC code is drawn from the sampling weights). Curvature: the',
        'delta-sigma weighted mean of ||d_i - u||^2 / ||u||^2 (docs/math.md §7), averaged over samples.',
        gridSentence(evalEnd(e)),
        '',
        // An evaluation stored before the hash was recorded cannot be checked against today's
        // feature net (render refuses a mismatching hash), so the page says so instead of implying it.
        ...(e.classifierSha256 && be.classifierSha256
          ? []
          : [
              `This grid was stored before evaluations recorded their classifier's sha256, so the report cannot check that it was made with today's \`${p.classifier.name}\`.`,
              '',
            ]),
        ...fidTable(e, be),
        '',
        'Mean curvature over the NFEs of each solver:',
        '',
        ...curvatureSummary(e, be),
        '',
      );
      if (p.plot) lines.push(`![FID proxy vs NFE](${p.plot})`, '');
    } else {
      lines.push(
        '### Solver x NFE grid',
        '',
        `Not evaluated yet for both models (\`npm run report -- --part grid --pair ${p.id}\`).`,
        '',
      );
    }
    if (p.qac.usage) lines.push('Code usage of the QAC model:', '', ...usageTable(p.qac.usage), '');
    if (p.grid)
      lines.push(
        `Samples (${p.gridSolver}), two rows per NFE, blocks separated by a white row, from top to bottom (${REPORT_NFES.join(', ')}): QAC above, baseline below, same noise in each column.`,
        '',
        `![samples per NFE](${p.grid})`,
        '',
      );
  }
  if (notes.trim()) lines.push(notes.trim(), '');
  return lines.join('\n');
}
