// onnxruntime-node's WebGPU EP against its CPU EP on the shipped models, on SwiftShader.
import { describe, expect, it } from 'vitest';
import { sampleModel } from '../sample';
import { checkNodeEp, loadModelNode, type NodeEp } from '.';
import { pickSwiftShaderUnlessSet } from './swiftshader.testkit';

pickSwiftShaderUnlessSet();

// A quarter of one 8-bit level of a [-1, 1] image: the PNG a user gets is the same either way.
// Measured on SwiftShader: 1.95e-4 (the 24,000-step fashion-mnist-qac) and 9.3e-4 (the
// 32,000-step base-24 avatars baseline, whose 3 big steps from sigma 80 carry the GPU's float
// rounding further; the base-16 baselines before it gave 7.6e-4 and 1.4e-3).
const TOLERANCE = 2 / 255 / 4;

async function sampleOn(ep: NodeEp, model: string) {
  const m = await loadModelNode(model, { ep });
  try {
    expect(m.backend).toBe(`node/${ep}`);
    return await sampleModel(m, { solver: 'ipndm', nfe: 3, afs: false, seed: 5, batch: 2 });
  } finally {
    await m.dispose();
  }
}

describe('the webgpu EP in Node', () => {
  it.each(['models/fashion-mnist-qac', 'models/avatars-baseline'])(
    '%s: a sample on webgpu equals the cpu EP within a quarter of an 8-bit level',
    async (model) => {
      await checkNodeEp('webgpu');
      const cpu = await sampleOn('cpu', model);
      const gpu = await sampleOn('webgpu', model);
      expect(gpu.codes).toEqual(cpu.codes);
      expect(gpu.x.length).toBe(cpu.x.length);
      let worst = 0;
      for (let i = 0; i < cpu.x.length; i++)
        worst = Math.max(worst, Math.abs(gpu.x[i]! - cpu.x[i]!));
      console.info(`${model}: worst |webgpu - cpu| = ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(TOLERANCE);
    },
    120_000,
  );
});
