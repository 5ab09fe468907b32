import { describe, expect, it } from 'vitest';
import { buildGradientGraph, Graph, op, Params } from '../../graph';
import { GraphSession } from '../../runtime/train-session';
import { crossEntropy } from './classifier-net';

describe('crossEntropy', () => {
  it('stays finite, with the softmax-minus-target gradient, for logits far beyond exp range', async () => {
    // Row 0 is a confident, correct prediction whose spread (2,000) overflows exp in float32
    // unless the row maximum is taken out first; row 1 is uniform over three classes.
    const g = new Graph();
    const p = Params.create(g);
    const logits = p.param('logits', [2, 3], { kind: 'zeros' });
    const onehot = g.input('onehot', [2, 3]);
    const loss = crossEntropy(op.mul(logits, 1), onehot);
    const s = await GraphSession.create(buildGradientGraph(p, loss));
    try {
      const out = await s.run({
        logits: Float32Array.of(1000, 0, -1000, 0, 0, 0),
        onehot: Float32Array.of(1, 0, 0, 0, 1, 0),
      });
      expect((out.loss as Float32Array)[0]).toBeCloseTo(Math.log(3) / 2, 5);
      const gl = Array.from(out['grad.logits'] as Float32Array);
      // d(mean loss)/d logits = (softmax - onehot) / batch.
      const want = [0, 0, 0, 1 / 6, 1 / 6 - 1 / 2, 1 / 6];
      gl.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    } finally {
      await s.release();
    }
  });
});
