// The browser trainer's step graph (forward, backward, Adam) with fixed inputs, packed for
// ep-page.ts: web/train-session.test.ts's batch recipe, on parameters nudged off their initial
// values so that every gradient is live (e2e/step-webgpu.spec.ts, bench/webgpu-bisect.ts).
import onnxProto from 'onnx-proto';
import { Rng } from '../src/core';
import { buildTrainingStep } from '../src/graph';
import { FEED, presetFor, trainGraph, type Mode } from '../src/train/model';
import { packCase, type Case } from './ep-page';

/** The graph inputs of an ONNX model with their static shapes. */
export const inputsOf = (model: Uint8Array) =>
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
