// Runs graphs built by src/graph on onnxruntime-node: training steps (state fed back each
// step) and one-off forward/gradient graphs. The only ORT code the trainer touches.
import * as ort from 'onnxruntime-node';
import type { DType, ModelGraph, StepGraph, TensorInfo } from '../graph';

export type TensorValues = Float32Array | Float64Array | BigInt64Array | Uint8Array;
export type Feeds = Readonly<Record<string, TensorValues>>;
export type Outputs = Record<string, TensorValues>;

export interface SessionOptions {
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

const ORT_TYPE: Record<DType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  bool: 'bool',
};

function sessionOptions(opts: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    executionMode: (opts.interOpThreads ?? 1) > 1 ? 'parallel' : 'sequential',
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: opts.interOpThreads ?? 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
    ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
  };
}

const ARRAY_TYPE = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  bool: Uint8Array,
} as const;

function toTensor(info: TensorInfo, data: TensorValues): ort.Tensor {
  const want = ARRAY_TYPE[info.dtype];
  if (!(data instanceof want)) {
    throw new Error(
      `feed '${info.name}': got a ${data.constructor.name}, the graph takes ${info.dtype} (${want.name})`,
    );
  }
  const expected = info.shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new Error(
      `feed '${info.name}': ${data.length} values given, shape [${info.shape.join(',')}] needs ${expected}`,
    );
  }
  return new ort.Tensor(ORT_TYPE[info.dtype], data, [...info.shape]);
}

function feedTensors(
  infos: readonly TensorInfo[],
  feeds: Feeds,
  strict: boolean,
): Record<string, ort.Tensor> {
  const known = new Set(infos.map((i) => i.name));
  for (const name of strict ? Object.keys(feeds) : []) {
    if (!known.has(name))
      throw new Error(`unknown feed '${name}' (the graph takes: ${[...known].join(', ')})`);
  }
  const out: Record<string, ort.Tensor> = {};
  for (const info of infos) {
    const v = feeds[info.name];
    if (!v) throw new Error(`missing feed '${info.name}'`);
    out[info.name] = toTensor(info, v);
  }
  return out;
}

function unwrap(results: ort.InferenceSession.ReturnType, names: readonly string[]): Outputs {
  const out: Outputs = {};
  for (const n of names) out[n] = results[n]!.data as TensorValues;
  return out;
}

/**
 * A forward (or gradient) graph: feed every input, get every output. Feeds the graph does not
 * take are ignored, so one map of parameter values can feed graphs that use only some of them.
 */
export class GraphSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: ModelGraph,
  ) {}

  static async create(graph: ModelGraph, opts: SessionOptions = {}): Promise<GraphSession> {
    return new GraphSession(
      await ort.InferenceSession.create(graph.model, sessionOptions(opts)),
      graph,
    );
  }

  async run(feeds: Feeds): Promise<Outputs> {
    const res = await this.session.run(feedTensors(this.graph.inputs, feeds, false));
    return unwrap(
      res,
      this.graph.outputs.map((o) => o.name),
    );
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Optimiser state at a step boundary: every state slot's values by input name, and the step count. */
export interface TrainState {
  readonly step: number;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

/**
 * Runs a StepGraph repeatedly. Parameters and Adam moments live in two sets of buffers: each
 * step reads one set and ORT writes the updated values straight into the other (preallocated
 * outputs), then the sets swap, so state never passes through fresh allocations or copies.
 */
export class TrainSession {
  private cur: Map<string, Float32Array>;
  private next: Map<string, Float32Array>;
  private t = 0;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly step: StepGraph,
  ) {
    this.cur = new Map(step.state.map((s) => [s.input, new Float32Array(size(s.shape))]));
    this.next = new Map(step.state.map((s) => [s.input, new Float32Array(size(s.shape))]));
  }

  /** Start from parameter values (Adam moments start at zero). */
  static async create(
    step: StepGraph,
    params: ReadonlyMap<string, Float32Array>,
    opts: SessionOptions = {},
  ): Promise<TrainSession> {
    const s = new TrainSession(
      await ort.InferenceSession.create(step.model, sessionOptions(opts)),
      step,
    );
    for (const slot of step.state) {
      if (slot.kind !== 'param') continue;
      const v = params.get(slot.param);
      if (!v) throw new Error(`TrainSession: no initial value for parameter '${slot.param}'`);
      s.cur.get(slot.input)!.set(checkLength(slot.param, v, size(slot.shape)));
    }
    return s;
  }

  /** Continue from a checkpoint taken with state(). */
  static async resume(
    step: StepGraph,
    state: TrainState,
    opts: SessionOptions = {},
  ): Promise<TrainSession> {
    const s = new TrainSession(
      await ort.InferenceSession.create(step.model, sessionOptions(opts)),
      step,
    );
    s.restore(state);
    return s;
  }

  /** Steps taken so far (Adam's t for the next step is this plus one). */
  get stepCount(): number {
    return this.t;
  }

  /** One optimiser step. Returns the step graph's extra outputs ('loss', ...). */
  async run(feeds: Feeds, lr: number): Promise<Outputs> {
    const g = this.step;
    const inputs = feedTensors(g.feeds, feeds, true);
    inputs[g.lrInput] = new ort.Tensor('float32', Float32Array.of(lr), []);
    inputs[g.stepInput] = new ort.Tensor('float32', Float32Array.of(this.t + 1), []);
    const fetches: Record<string, ort.Tensor | null> = {};
    for (const slot of g.state) {
      inputs[slot.input] = new ort.Tensor('float32', this.cur.get(slot.input)!, [...slot.shape]);
      fetches[slot.output] = new ort.Tensor('float32', this.next.get(slot.input)!, [...slot.shape]);
    }
    for (const o of g.outputs) fetches[o.name] = null;
    const res = await this.session.run(inputs, fetches);
    [this.cur, this.next] = [this.next, this.cur];
    this.t++;
    return unwrap(
      res,
      g.outputs.map((o) => o.name),
    );
  }

  /** Stop profiling (when enabled) and flush the trace file. */
  endProfiling(): void {
    this.session.endProfiling();
  }

  /** Current parameter values by parameter name (copies). */
  params(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const slot of this.step.state) {
      if (slot.kind === 'param') out.set(slot.param, this.cur.get(slot.input)!.slice());
    }
    return out;
  }

  /** Full optimiser state for a checkpoint (copies). */
  state(): TrainState {
    return { step: this.t, tensors: new Map([...this.cur].map(([k, v]) => [k, v.slice()])) };
  }

  /** Resume from a checkpoint taken with state(). */
  restore(state: TrainState): void {
    for (const slot of this.step.state) {
      const v = state.tensors.get(slot.input);
      if (!v) throw new Error(`TrainSession.restore: checkpoint lacks '${slot.input}'`);
      this.cur.get(slot.input)!.set(checkLength(slot.input, v, size(slot.shape)));
    }
    this.t = state.step;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkLength(name: string, v: Float32Array, n: number): Float32Array {
  if (v.length !== n) throw new Error(`'${name}': ${v.length} values given, ${n} expected`);
  return v;
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
