import type { StepGraph } from '../../graph';
import { TrainSessionCore, type TrainState } from '../train-core';
import { createSession, ortWeb } from './ort';

/** The execution providers the browser trainer runs on. */
export type TrainEp = 'webgpu' | 'wasm';

/**
 * The Node trainer's TrainSession on onnxruntime-web (WebGPU or wasm): the same step graph
 * (forward, backward and Adam, built by src/graph) run as a plain inference graph, with the same
 * state handling (train-core.ts). ORT web returns fresh output buffers (read back to the CPU on
 * WebGPU), so the new state is copied into the idle set rather than written there.
 */
export class WebTrainSession extends TrainSessionCore {
  private static async open(step: StepGraph, ep: TrainEp): Promise<WebTrainSession> {
    const ort = await ortWeb(ep === 'webgpu');
    const session = await createSession(ort, step.model, {
      // ORT's default layout on WebGPU (NHWC): the native EP's grouped conv is right for the conv
      // weight gradients' im2col (9 outputs per group), which JSEP's got wrong and for which the
      // trainer used to ask for NCHW (e2e/step-webgpu.spec.ts checks the case).
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
    });
    return new WebTrainSession(ort, session, step, false);
  }

  /** Start from parameter values (Adam moments start at zero). */
  static async create(
    step: StepGraph,
    params: ReadonlyMap<string, Float32Array>,
    ep: TrainEp = 'wasm',
  ): Promise<WebTrainSession> {
    const s = await WebTrainSession.open(step, ep);
    s.init(params);
    return s;
  }

  /** Continue from a checkpoint taken with state(). */
  static async resume(
    step: StepGraph,
    state: TrainState,
    ep: TrainEp = 'wasm',
  ): Promise<WebTrainSession> {
    const s = await WebTrainSession.open(step, ep);
    s.restore(state);
    return s;
  }
}
