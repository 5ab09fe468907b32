import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileEntry, manifestSchema } from '../../runtime';
import { modelCard } from '../export/card';
import { writeFileAtomic } from '../io/atomic';
import type { CodeUsageStats } from './code-usage';
import type { HeadlineEval } from './headline';
import { readManifest } from './manifest-file';
import { solverLabel } from './markdown';
import { evalEnd, type ModelEval } from './plan';

/** The headline settings' FID proxy per seed, for the card (the ratios need the pair: REPORT.md). */
function headlineLines(h: HeadlineEval): string[] {
  return [
    `Headline settings, FID proxy of ${h.n.toLocaleString('en')} samples per seed (seeds ${h.seeds.join(', ')}; classifier ${h.classifier}):`,
    '',
    `| setting | ${h.seeds.map((s) => `seed ${s}`).join(' | ')} | seeds pooled |`,
    `| --- | ${h.seeds.map(() => '---').join(' | ')} | --- |`,
    ...h.settings.map(
      (s) =>
        `| ${solverLabel(s)} NFE ${s.nfe} | ${s.seeds.map((x) => x.fidProxy.toFixed(2)).join(' | ')} | ${s.pooled.fidProxy.toFixed(2)} |`,
    ),
    '',
  ];
}

/** The card's evaluation section: headline and grid FID proxy and curvature, code usage. */
export function cardEvaluation(
  e: ModelEval | null,
  usage: CodeUsageStats | null,
  headline: HeadlineEval | null = null,
  quality: string | null = null,
): string {
  const lines = [
    ...(quality ? [`Quality: ${quality}.`, ''] : []),
    ...(headline ? headlineLines(headline) : []),
  ];
  if (e) {
    const labels = [...new Set(e.settings.map(solverLabel))];
    const nfes = [...new Set(e.settings.map((s) => s.requestedNfe))];
    const cell = (label: string, nfe: number) => {
      const s = e.settings.find((x) => solverLabel(x) === label && x.requestedNfe === nfe);
      return s ? `${s.fidProxy.toFixed(1)} / ${s.curvature.toFixed(3)}` : '-';
    };
    lines.push(
      `FID proxy / mean curvature, ${e.n} samples per setting (classifier ${e.classifier}, seed ${e.seed},`,
      `Karras grid ending at ${evalEnd(e) === 'sigmaMin' ? 'sigma_min' : '0'}); Heun spends odd NFEs only (the nearest, lower on ties).`,
      'The comparison with the baseline is in',
      '`models/REPORT.md`.',
      '',
      `| solver | ${nfes.map((n) => `NFE ${n}`).join(' | ')} |`,
      `| --- | ${nfes.map(() => '---').join(' | ')} |`,
      ...labels.map((l) => `| ${l} | ${nfes.map((n) => cell(l, n)).join(' | ')} |`),
    );
  } else {
    lines.push('The solver x NFE grid is not evaluated yet (`npm run report -- --part grid`).');
  }
  if (usage) {
    lines.push(
      '',
      `Code usage: ${usage.weightedCodes} of ${usage.codebook} codes have a sampling weight ` +
        `(perplexity ${usage.weightPerplexity.toFixed(1)}); the encoder gives the ` +
        `${usage.heldOutImages} held-out images ${usage.heldOutCodes} distinct codes ` +
        `(perplexity ${usage.heldOutPerplexity.toFixed(1)}).`,
    );
  }
  return lines.join('\n');
}

/**
 * Replaces the body of the card's "## Evaluation" section and the card's manifest entry. With
 * `dataSource` the rest of the card is first rebuilt from the manifest (as the exporter writes
 * it), so a change to the card's template or to how a dataset names its source reaches shipped
 * models without retraining or re-exporting. With `floor` the manifest's evaluation records the
 * real-data floor for its sample count.
 */
export async function updateCard(
  dir: string,
  evaluation: string,
  dataSource?: string,
  floor?: number,
): Promise<void> {
  const manifestPath = join(dir, 'manifest.json');
  const stored = await readManifest(dir);
  const manifest =
    floor === undefined || !stored.evaluation
      ? stored
      : { ...stored, evaluation: { ...stored.evaluation, floor } };
  const cardPath = join(dir, manifest.files.card.path);
  const { files: _files, ...body } = manifest;
  const card = dataSource ? modelCard(body, dataSource) : await readFile(cardPath, 'utf8');
  const start = card.indexOf('## Evaluation\n');
  if (start < 0) throw new Error(`${cardPath}: no "## Evaluation" section to fill in`);
  const next = card.indexOf('\n## ', start + 1);
  const text =
    card.slice(0, start) + `## Evaluation\n\n${evaluation}\n` + (next < 0 ? '' : card.slice(next));
  const bytes = Buffer.from(text);
  await writeFileAtomic(cardPath, bytes);
  const files = { ...manifest.files, card: await fileEntry(manifest.files.card.path, bytes) };
  const updated = manifestSchema.parse({ ...manifest, files });
  await writeFileAtomic(manifestPath, Buffer.from(JSON.stringify(updated, null, 2) + '\n'));
}
