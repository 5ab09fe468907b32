import type { StepGraph } from '../../graph';
import { TrainSessionCore, type TrainState } from '../train-core';
import { ortWeb } from './ort';

/** The execution providers the browser trainer runs on. */
export type TrainEp = 'webgpu' | 'wasm';

/**
 * The WebGPU EP as the trainer opens it: NCHW, not the NHWC onnxruntime-web 1.30 runs convs in
 * without this option. Its NHWC grouped conv (jsep ops/conv-grouped.ts) writes four output
 * channels at once and reads all four from the first one's group, which is wrong when a group's
 * outputs straddle those fours: the im2col conv in every conv weight gradient (9 outputs per
 * group, grad/conv-weight.ts) gave wrong gradients (bench/webgpu-bisect.ts). Writing that im2col
 * as an ungrouped conv instead is right on both layouts but made Node's tiny-preset step ~20%
 * slower; NCHW here costs Node nothing.
 */
export const WEBGPU_TRAIN_EP = { name: 'webgpu', preferredLayout: 'NCHW' } as const;

/**
 * The Node trainer's TrainSession on onnxruntime-web (WebGPU or wasm): the same step graph
 * (forward, backward and Adam, built by src/graph) run as a plain inference graph, with the same
 * state handling (train-core.ts). ORT web returns fresh output buffers (read back to the CPU on
 * WebGPU), so the new state is copied into the idle set rather than written there.
 */
export class WebTrainSession extends TrainSessionCore {
  private static async open(step: StepGraph, ep: TrainEp): Promise<WebTrainSession> {
    const ort = await ortWeb(ep === 'webgpu');
    // Node (tests) has no cross-origin isolation story; one thread keeps it deterministic there.
    if (typeof process !== 'undefined' && process.versions?.node) ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(step.model, {
      executionProviders: [ep === 'webgpu' ? WEBGPU_TRAIN_EP : 'wasm'],
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
