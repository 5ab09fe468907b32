import type { Manifest, ModelSource } from '../../runtime';

const DESCRIBE: Record<ModelSource['parameterisation']['prediction'], string> = {
  epsilon: 'predicts the noise epsilon; D = x - sigma eps',
  v_prediction: 'predicts v; D = x / (1 + sigma^2) - sigma v / sqrt(1 + sigma^2)',
  sample: 'predicts the clean image; D = the prediction',
  edm: "is EDM's F; D = c_skip x + c_out F(c_in x, ln(sigma) / 4)",
};

const TIMESTEP: Record<ModelSource['parameterisation']['timestep'], string> = {
  nearest: 'sigma -> the nearest trained timestep (int64 input)',
  interpolated: 'sigma -> a fractional timestep, interpolated in log sigma (float input)',
  edm: 'sigma -> c_noise = ln(sigma) / 4',
};

/** The card of an imported model: where the network came from and how it was wrapped. */
export function importCard(m: Omit<Manifest, 'files'> & { source: ModelSource }): string {
  const p = m.source.parameterisation;
  const s = p.schedule;
  const schedule = s
    ? `${s.betaSchedule}` +
      (s.betaStart !== null ? `, beta ${s.betaStart} to ${s.betaEnd}` : '') +
      `, ${s.numTrainTimesteps} training timesteps`
    : 'none (continuous sigma)';
  return [
    `# ${m.name}`,
    '',
    `An external ${m.image.channels}x${m.image.height}x${m.image.width} diffusion network, imported with ` +
      '`npm run import` and wrapped into the D(x; sigma) contract of this project (docs/math.md §9).',
    '',
    '## Source',
    '',
    `- ONNX: ${m.source.onnx.file} (${m.source.onnx.bytes.toLocaleString('en')} bytes, sha256 ${m.source.onnx.sha256})`,
    `- parameters: ${m.parameters.denoiser.toLocaleString('en')}`,
    `- the network ${DESCRIBE[p.prediction]}`,
    `- schedule: ${schedule}`,
    `- timestep: ${TIMESTEP[p.timestep]}`,
    `- its value range [${p.valueRange.join(', ')}] is mapped to [-1, 1] inside the graph`,
    `- sampling range sigma in [${m.sigmaMin}, ${m.sigmaMax}] ([-1, 1] units), sigma_data ${m.sigmaData}`,
    '',
    '## Credits',
    '',
    m.credits ?? 'Not given at import: see where the network came from for its licence.',
    '',
    '## Known limits',
    '',
    "- Nothing about the network's training is known here; the sampling weights of QAC do not apply (a baseline).",
    "- The sampler settings of its original scheduler (clipping, thresholding, timestep spacing) are replaced by this project's solvers.",
    '',
  ].join('\n');
}
