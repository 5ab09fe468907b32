import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import {
  ADAM_GROUP,
  buildGradientGraph,
  buildTrainingStep,
  Graph,
  initValues,
  op,
  Params,
  type AdamOptions,
} from '../../graph';
import { GraphSession, TrainSession } from '../train-session';

const N = 64;
const xs = initValues({ kind: 'uniform', bound: 1 }, [N, 3], 5, 'x');
// Target from a fixed nonlinear rule the model can fit.
const ys = Float32Array.from(
  { length: N },
  (_, i) => Math.tanh(0.8 * xs[3 * i]! - 0.5 * xs[3 * i + 1]! + 0.3) + 0.2 * xs[3 * i + 2]!,
);

/** A small tanh MLP; `extra` hidden 8x8 layers add two parameter tensors each. */
function toy(adam: AdamOptions = {}, extra = 0) {
  const g = new Graph();
  const p = Params.create(g);
  const x = g.input('x', [N, 3]);
  const y = g.input('y', [N, 1]);
  let h = op.tanh(
    op.linear(
      x,
      p.param('l1.w', [8, 3], { kind: 'uniform', bound: 0.5 }),
      p.param('l1.b', [8], { kind: 'zeros' }),
    ),
  );
  for (let k = 0; k < extra; k++) {
    const w = p.param(`h${k}.w`, [8, 8], { kind: 'uniform', bound: 0.5 });
    h = op.tanh(op.linear(h, w, p.param(`h${k}.b`, [8], { kind: 'zeros' })));
  }
  const pred = op.linear(
    h,
    p.param('l2.w', [1, 8], { kind: 'uniform', bound: 0.3 }),
    p.param('l2.b', [1], { kind: 'zeros' }),
  );
  const loss = op.mean(op.square(op.sub(pred, y)));
  return { g, p, loss, pred, step: () => buildTrainingStep(p, { loss, adam, outputs: { pred } }) };
}

const feeds = { x: xs, y: ys };

describe('Adam step graph', () => {
  it('fits a toy regression with a steadily falling loss', async () => {
    const { p, step } = toy();
    const s = await TrainSession.create(step(), p.initialValues(3));
    const losses: number[] = [];
    for (let i = 0; i < 150; i++) losses.push((await s.run(feeds, 0.03)).loss![0] as number);
    const windows = [0, 1, 2, 3, 4].map(
      (w) => losses.slice(w * 30, w * 30 + 30).reduce((a, b) => a + b) / 30,
    );
    for (let w = 1; w < windows.length; w++) expect(windows[w]).toBeLessThan(windows[w - 1]!);
    expect(losses.at(-1)!).toBeLessThan(0.1 * losses[0]!);
    expect(s.stepCount).toBe(150);
  });

  it('matches AdamW with bias correction and global-norm clipping computed by hand', async () => {
    const clip = 0.05;
    const lr = 0.01;
    const wd = 0.5;
    // 10 parameter tensors: two Adam groups, one global norm over both.
    const { p, loss, step } = toy({ clipGlobalNorm: clip, weightDecay: wd }, 3);
    expect(p.specs.length).toBeGreaterThan(ADAM_GROUP);
    const init = p.initialValues(4);
    const gradSession = await GraphSession.create(buildGradientGraph(p, loss));
    const s = await TrainSession.create(step(), init);
    // Two steps so that the moments and the t = 2 bias correction are exercised.
    let params = new Map(init);
    const m = new Map([...init].map(([k, v]) => [k, new Float64Array(v.length)]));
    const v2 = new Map([...init].map(([k, v]) => [k, new Float64Array(v.length)]));
    for (let t = 1; t <= 2; t++) {
      const grads = await gradSession.run({ ...feeds, ...Object.fromEntries(params) });
      let sq = 0;
      for (const k of params.keys())
        for (const gv of grads[`grad.${k}`] as Float32Array) sq += gv * gv;
      const norm = Math.sqrt(sq);
      const scale = clip / Math.max(norm, clip);
      const out = await s.run(feeds, lr);
      expect(out.gradNorm![0]).toBeCloseTo(norm, 5);
      const next = new Map<string, Float32Array>();
      for (const [k, pv] of params) {
        const gv = grads[`grad.${k}`] as Float32Array;
        const mk = m.get(k)!;
        const vk = v2.get(k)!;
        next.set(
          k,
          pv.map((x, i) => {
            const d = gv[i]! * scale;
            mk[i] = 0.9 * mk[i]! + 0.1 * d;
            vk[i] = 0.999 * vk[i]! + 0.001 * d * d;
            const update =
              (lr * mk[i]!) / (1 - 0.9 ** t) / (Math.sqrt(vk[i]! / (1 - 0.999 ** t)) + 1e-8);
            return x * (1 - lr * wd) - update;
          }),
        );
      }
      params = next;
      const got = s.params();
      for (const [k, want] of params) {
        const have = got.get(k)!;
        for (let i = 0; i < want.length; i++)
          expect(Math.abs(have[i]! - want[i]!), `${k}[${i}] step ${t}`).toBeLessThan(1e-6);
      }
    }
  });

  it('joins at most ADAM_GROUP tensors per Concat or Split (WebGPU binds each as a buffer)', () => {
    const { p, step } = toy({ clipGlobalNorm: 1 }, 12);
    expect(p.specs.length).toBe(28);
    const nodes = onnxProto.onnx.ModelProto.decode(step().model).graph!.node!;
    const joins = nodes.filter((n) => n.opType === 'Concat' || n.opType === 'Split');
    // Four vectors (gradients, parameters, both moments) joined and three split per group.
    expect(joins.length).toBe(7 * Math.ceil(28 / ADAM_GROUP));
    for (const n of joins) {
      const tensors = n.opType === 'Concat' ? n.input!.length : n.output!.length;
      expect(tensors, n.name!).toBeLessThanOrEqual(ADAM_GROUP);
    }
  });

  it('resumes from a saved state exactly', async () => {
    const { p, step } = toy();
    const graph = step();
    const a = await TrainSession.create(graph, p.initialValues(9));
    for (let i = 0; i < 3; i++) await a.run(feeds, 0.02);
    const saved = a.state();
    const ref = await a.run(feeds, 0.02);
    const b = await TrainSession.resume(graph, saved);
    const res = await b.run(feeds, 0.02);
    expect(res.loss).toEqual(ref.loss);
    expect(res.pred).toEqual(ref.pred);
    expect(b.params()).toEqual(a.params());
  });

  it('names a feed of the wrong size at run time', async () => {
    const g = new Graph();
    const p = Params.create(g);
    const x = g.input('x', [4]);
    const step = buildTrainingStep(p, {
      loss: op.mean(op.mul(x, p.param('w', [4], { kind: 'uniform', bound: 1 }))),
    });
    const s = await TrainSession.create(step, p.initialValues(0));
    await expect(s.run({ x: new Float32Array(3) }, 0.1)).rejects.toThrow(
      /feed 'x': 3 values given, shape \[4\] needs 4/,
    );
    await expect(s.run({ x: new Float64Array(4) }, 0.1)).rejects.toThrow(
      /feed 'x': got a Float64Array, the graph takes float32/,
    );
    await expect(s.run({ x: new Float32Array(4), z: new Float32Array(1) }, 0.1)).rejects.toThrow(
      /unknown feed 'z'/,
    );
  });
});
