// The browser trainer's step graph (forward, backward, Adam) with fixed inputs, packed for
// ep-page.ts: web/train-session.test.ts's batch recipe, on parameters nudged off their initial
// values so that every gradient is live (e2e/step-webgpu.spec.ts, bench/webgpu-bisect.ts); and
// the op forms WebGPU EPs got wrong in it, alone.
import onnxProto from 'onnx-proto';
import { Rng } from '../src/core';
import { buildTrainingStep, forwardModel, Graph, op, type Tensor } from '../src/graph';
import { FEED, presetFor, trainGraph, type Mode } from '../src/train/model';
import { packCase, type Case } from './ep-page';

/** The graph inputs of an ONNX model with their static shapes. */
const inputsOf = (model: Uint8Array) =>
  onnxProto.onnx.ModelProto.decode(model).graph!.input!.map((i) => ({
    name: i.name!,
    dims: i.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue)),
  }));

export function stepCase(preset: 'tiny' | 'mnist', mode: Mode, batch: number): Case {
  const cfg = presetFor(preset);
  const tg = trainGraph(cfg, mode, batch);
  const step = buildTrainingStep(tg.params, { loss: tg.loss, adam: { clipGlobalNorm: 1 } });
  const init = tg.params.initialValues(3);
  const rng = new Rng(7, 0);
  const size = batch * cfg.channels * cfg.height * cfg.width;
  const values = new Map<string, Float32Array>([
    [FEED.images, Float32Array.from({ length: size }, () => Math.tanh(rng.normal()))],
    [FEED.noise, Float32Array.from({ length: size }, () => rng.normal())],
    [FEED.sigma, Float32Array.from({ length: batch }, () => Math.exp(-1.2 + 1.2 * rng.normal()))],
    [step.lrInput, Float32Array.of(2e-3)],
    [step.stepInput, Float32Array.of(1)],
  ]);
  // Nudged: the zero-initialised last conv of every residual branch would otherwise zero the
  // gradient of everything before it, and the first step would test only the output layer.
  for (const slot of step.state) {
    const n = slot.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (slot.kind === 'param') {
      const p0 = init.get(slot.param)!;
      for (let i = 0; i < n; i++) v[i] = p0[i]! + 0.05 * rng.normal();
    }
    values.set(slot.input, v);
  }
  return packCase(step.model, inputsOf(step.model), values);
}

/** Concat of `n` [5] tensors, or Split of a [5n] one into `n`. */
export function joinCase(kind: 'Concat' | 'Split', n: number): Case {
  const g = new Graph();
  const values = new Map<string, Float32Array>();
  const input = (name: string, size: number) => {
    values.set(
      name,
      Float32Array.from({ length: size }, (_, i) => i + 0.5),
    );
    return g.input(name, [size]);
  };
  const outputs: Record<string, Tensor> = {};
  if (kind === 'Concat') {
    outputs.y = op.concat(
      Array.from({ length: n }, (_, i) => input(`x${i}`, 5)),
      0,
    );
  } else {
    op.split(input('x', 5 * n), Array(n).fill(5), 0).forEach((y, i) => (outputs[`y${i}`] = y));
  }
  const model = forwardModel(g, outputs).model;
  return packCase(model, inputsOf(model), values);
}

/** The 3x3 im2col of x [1, 4, 8, 8] as grad/conv-weight.ts builds it: a depthwise conv, 9 outputs per group. */
export function tapsCase(): Case {
  const g = new Graph();
  const x = g.input('x', [1, 4, 8, 8]);
  const k = g.constant(
    Array.from({ length: 4 * 81 }, (_, i) => ((i % 81) % 10 === 0 ? 1 : 0)),
    [36, 1, 3, 3],
  );
  const model = forwardModel(g, { y: op.conv2d(x, k, null, { pad: 1, groups: 4 }) }).model;
  const values = new Map([['x', Float32Array.from({ length: 256 }, (_, i) => Math.sin(i))]]);
  return packCase(model, inputsOf(model), values);
}
