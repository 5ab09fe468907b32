import { recipeText, type Manifest } from '../../runtime';

const fmt = (n: number) => n.toLocaleString('en');

/** The model card: what the model is, what it was trained on, how it scores, what it cannot do. */
export function modelCard(m: Omit<Manifest, 'files'>, dataSource: string): string {
  const t = m.training;
  const lines = [
    `# ${m.name}`,
    '',
    `${m.kind === 'qac' ? 'QAC' : 'Baseline (unconditional)'} EDM-preconditioned U-Net denoiser for ` +
      `${m.image.height}x${m.image.width}x${m.image.channels} ${m.dataset} images, values in [-1, 1].`,
    '',
    '## Training',
    '',
    `- data: ${m.dataset} (${dataSource}), training split only (the held-out split is kept for evaluation)`,
    `- steps: ${fmt(t.steps)}, wall time ${(t.wallTimeSeconds / 60).toFixed(1)} min on a CPU`,
    `- recipe: ${recipeText(t.config)}`,
    `- parameters: denoiser ${fmt(m.parameters.denoiser)}` +
      (m.parameters.encoder ? `, encoder ${fmt(m.parameters.encoder)}` : ''),
    m.code
      ? `- code: ${m.code.bits} channels x ${m.code.levels} levels (${m.code.bitOrder})`
      : '- code: none (the baseline has no condition path)',
    `- sigma: data ${m.sigmaData}, sampling range [${m.sigmaMin}, ${m.sigmaMax}]`,
    '',
    '## Evaluation',
    '',
    m.evaluation
      ? 'See manifest.json (`evaluation`) for the FID-proxy and curvature table.'
      : 'Not evaluated at export time; `npm run eval -- --update-model` adds results to manifest.json.',
    '',
    '## Credits',
    '',
    m.credits ?? `${m.dataset}: see the dataset's own licence.`,
    '',
    '## Known limits',
    '',
    '- A small network trained briefly on a CPU: samples are recognisable at best, not state of the art.',
    "- The FID proxy uses a small classifier's features; it is comparable only between models of this project.",
    '',
  ];
  return lines.join('\n');
}
