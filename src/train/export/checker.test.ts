import { describe, expect, it } from 'vitest';
import { checkOnnx, onnxCheckerMissing } from '../../graph/onnx-checker.testkit';
import { presetFor, trainGraph, type Mode } from '../model';
import { exportGraphs } from './graphs';

// The shipped architectures, exported exactly as `npm run export` does, must pass the standard
// checker; random initial weights are enough since the checker looks at structure and types.
describe('exported model files pass onnx.checker', () => {
  it.for([
    ['mnist', 'qac'],
    ['mnist', 'baseline'],
    ['rgb32', 'qac'],
  ] as [string, Mode][])('%s %s', ([preset, mode], ctx) => {
    const missing = onnxCheckerMissing();
    if (missing) {
      console.warn(`skipped: ${missing}`);
      ctx.skip();
    }
    const cfg = presetFor(preset);
    const values = trainGraph(cfg, mode, 1).params.initialValues(0);
    const { denoiser, encoder } = exportGraphs(cfg, mode, values);
    const models: Record<string, Uint8Array> = { denoiser: denoiser.model };
    if (encoder) models.encoder = encoder.model;
    expect(checkOnnx(models)).toBe('ok');
  });
});
