import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { createSession, initModel, ortWeb } from './ort';

describe('web/ort', () => {
  it("starts ORT's initialisation with a valid one-node model that runs", async () => {
    const graph = onnxProto.onnx.ModelProto.decode(initModel()).graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(['Identity']);
    const ort = await ortWeb(false);
    expect(ort.env.wasm.numThreads).toBe(1);
    const session = await createSession(ort, initModel(), { executionProviders: ['wasm'] });
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2.5), [1]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([2.5]);
    await session.release();
  });

  it('creates sessions one at a time, and one that fails does not block the next', async () => {
    const ort = await ortWeb(false);
    const order: string[] = [];
    const open = (name: string, model: Uint8Array) =>
      createSession(ort, model, { executionProviders: ['wasm'] }).then(
        (s) => (order.push(name), s.release()),
        () => order.push(`${name} failed`),
      );
    await Promise.all([
      open('a', initModel()),
      open('bad', new Uint8Array([1, 2, 3])),
      open('b', initModel()),
    ]);
    expect(order).toEqual(['a', 'bad failed', 'b']);
  });
});
