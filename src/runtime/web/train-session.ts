import type { StepGraph } from '../../graph';
import { TrainSessionCore, type TrainState } from '../train-core';
import { ortWeb } from './ort';

/**
 * The Node trainer's TrainSession on onnxruntime-web's wasm backend: the same step graph (forward,
 * backward and Adam, built by src/graph) run as a plain inference graph, with the same state
 * handling (train-core.ts). ORT web returns fresh output buffers, so the new state is copied into
 * the idle set rather than written there (no preallocated outputs).
 */
export class WebTrainSession extends TrainSessionCore {
  private static async open(step: StepGraph): Promise<WebTrainSession> {
    const ort = await ortWeb(false);
    // Node (tests) has no cross-origin isolation story; one thread keeps it deterministic there.
    if (typeof process !== 'undefined' && process.versions?.node) ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(step.model, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    return new WebTrainSession(ort, session, step, false);
  }

  /** Start from parameter values (Adam moments start at zero). */
  static async create(
    step: StepGraph,
    params: ReadonlyMap<string, Float32Array>,
  ): Promise<WebTrainSession> {
    const s = await WebTrainSession.open(step);
    s.init(params);
    return s;
  }

  /** Continue from a checkpoint taken with state(). */
  static async resume(step: StepGraph, state: TrainState): Promise<WebTrainSession> {
    const s = await WebTrainSession.open(step);
    s.restore(state);
    return s;
  }
}
