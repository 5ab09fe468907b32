// Runs graphs built by src/graph on onnxruntime-node: training steps (state fed back each
// step) and one-off forward/gradient graphs. The only ORT code the trainer touches; the logic
// is train-core.ts, which the browser's trainer (web/train-session.ts) runs on onnxruntime-web.
import * as ort from 'onnxruntime-node';
import type { ModelGraph, StepGraph } from '../graph';
import { epSessionOptions, type NodeEp } from './node/ep';
import {
  GraphSessionCore,
  ORT_TYPE,
  TrainSessionCore,
  type Feeds,
  type Outputs,
  type TensorValues,
  type TrainState,
} from './train-core';

export type { Feeds, Outputs, TensorValues, TrainState } from './train-core';

export interface SessionOptions {
  /** The execution provider (default cpu; check it first with checkNodeEp). */
  readonly ep?: NodeEp;
  /** Intra-op threads (default 2: the machine's cores). */
  readonly threads?: number;
  /**
   * Inter-op threads: above 1, independent nodes (a conv's input and weight gradients) run
   * concurrently (ORT's parallel execution mode). Default 1.
   */
  readonly interOpThreads?: number;
  /** Write an ORT profile (JSON trace) with this file-name prefix; see TrainSession.endProfiling. */
  readonly profilePrefix?: string;
}

function sessionOptions(opts: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    ...epSessionOptions(opts.ep ?? 'cpu'),
    graphOptimizationLevel: 'all',
    executionMode: (opts.interOpThreads ?? 1) > 1 ? 'parallel' : 'sequential',
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: opts.interOpThreads ?? 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
    ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
  };
}

/** A forward (or gradient) graph on onnxruntime-node (see GraphSessionCore). */
export class GraphSession extends GraphSessionCore {
  static async create(graph: ModelGraph, opts: SessionOptions = {}): Promise<GraphSession> {
    return new GraphSession(
      ort,
      await ort.InferenceSession.create(graph.model, sessionOptions(opts)),
      graph,
    );
  }
}

/**
 * A StepGraph run repeatedly on onnxruntime-node (see TrainSessionCore), which lets ORT write
 * the new state into the idle buffer set (preallocated outputs): no per-step state allocation.
 */
export class TrainSession extends TrainSessionCore {
  /** Start from parameter values (Adam moments start at zero). */
  static async create(
    step: StepGraph,
    params: ReadonlyMap<string, Float32Array>,
    opts: SessionOptions = {},
  ): Promise<TrainSession> {
    const s = await TrainSession.open(step, opts);
    s.init(params);
    return s;
  }

  /** Continue from a checkpoint taken with state(). */
  static async resume(
    step: StepGraph,
    state: TrainState,
    opts: SessionOptions = {},
  ): Promise<TrainSession> {
    const s = await TrainSession.open(step, opts);
    s.restore(state);
    return s;
  }

  private static async open(step: StepGraph, opts: SessionOptions): Promise<TrainSession> {
    const session = await ort.InferenceSession.create(step.model, sessionOptions(opts));
    return new TrainSession(ort, session, step, true);
  }
}

/**
 * Run a model once in onnxruntime-web's wasm backend inside Node (single-threaded), for
 * export parity checks against onnxruntime-node.
 */
export async function runOnceWebWasm(graph: ModelGraph, feeds: Feeds): Promise<Outputs> {
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = 1;
  const session = await web.InferenceSession.create(graph.model, { executionProviders: ['wasm'] });
  try {
    const inputs: Record<string, InstanceType<typeof web.Tensor>> = {};
    for (const info of graph.inputs) {
      const v = feeds[info.name];
      if (!v) throw new Error(`missing feed '${info.name}'`);
      inputs[info.name] = new web.Tensor(ORT_TYPE[info.dtype], v, [...info.shape]);
    }
    const res = await session.run(inputs);
    const out: Outputs = {};
    for (const o of graph.outputs) out[o.name] = res[o.name]!.data as TensorValues;
    return out;
  } finally {
    await session.release();
  }
}
