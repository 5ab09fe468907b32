import { describe, expect, it } from 'vitest';
import { buildTrainingStep } from '../../graph';
import { Rng } from '../../core';
import { TrainSession } from '../../runtime/train-session';
import { WebTrainSession } from '../../runtime/web/train-session';
import { FEED, presetFor, trainGraph } from '../model';

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('WebTrainSession', () => {
  it('takes the Node trainer step on onnxruntime-web wasm: same loss and parameters', async () => {
    const cfg = presetFor('tiny');
    const batch = 4;
    const tg = trainGraph(cfg, 'qac', batch);
    const step = buildTrainingStep(tg.params, { loss: tg.loss, adam: {} });
    const init = tg.params.initialValues(3);
    const rng = new Rng(7, 0);
    const size = batch * cfg.channels * cfg.height * cfg.width;
    const feeds = {
      [FEED.images]: Float32Array.from({ length: size }, () => Math.tanh(rng.normal())),
      [FEED.noise]: Float32Array.from({ length: size }, () => rng.normal()),
      [FEED.sigma]: Float32Array.from({ length: batch }, () => Math.exp(-1.2 + 1.2 * rng.normal())),
    };
    const node = await TrainSession.create(step, init, { threads: 1 });
    const web = await WebTrainSession.create(step, init);
    try {
      for (let k = 0; k < 2; k++) {
        const a = await node.run(feeds, 2e-3);
        const b = await web.run(feeds, 2e-3);
        expect(Math.abs((a.loss as Float32Array)[0]! - (b.loss as Float32Array)[0]!)).toBeLessThan(
          1e-4,
        );
      }
      const pa = node.params();
      const pb = web.params();
      for (const [name, v] of pa) expect(maxDiff(v, pb.get(name)!), name).toBeLessThan(1e-4);
    } finally {
      await Promise.all([node.release(), web.release()]);
    }
  });
});
