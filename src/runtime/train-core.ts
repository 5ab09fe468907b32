// The ORT-independent half of the training runner: feeds checked against the graph, and the
// double-buffered optimiser state of TrainSession. train-session.ts runs it on onnxruntime-node,
// web/train-session.ts on onnxruntime-web (wasm), so the browser trains with the very same step
// graph and the same state handling as the Node trainer.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { DType, ModelGraph, StepGraph, TensorInfo } from '../graph';

export type TensorValues = Float32Array | Float64Array | BigInt64Array | Uint8Array;
export type Feeds = Readonly<Record<string, TensorValues>>;
export type Outputs = Record<string, TensorValues>;

/** The one thing the runner needs of an ORT build besides a session: its Tensor class. */
export interface OrtTensors {
  Tensor: new (type: Tensor.Type, data: TensorValues, dims: readonly number[]) => Tensor;
}

export const ORT_TYPE: Record<DType, Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  bool: 'bool',
};

const ARRAY_TYPE = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  bool: Uint8Array,
} as const;

function toTensor(ort: OrtTensors, info: TensorInfo, data: TensorValues): Tensor {
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
  ort: OrtTensors,
  infos: readonly TensorInfo[],
  feeds: Feeds,
  strict: boolean,
): Record<string, Tensor> {
  const known = new Set(infos.map((i) => i.name));
  for (const name of strict ? Object.keys(feeds) : []) {
    if (!known.has(name))
      throw new Error(`unknown feed '${name}' (the graph takes: ${[...known].join(', ')})`);
  }
  const out: Record<string, Tensor> = {};
  for (const info of infos) {
    const v = feeds[info.name];
    if (!v) throw new Error(`missing feed '${info.name}'`);
    out[info.name] = toTensor(ort, info, v);
  }
  return out;
}

function unwrap(results: InferenceSession.ReturnType, names: readonly string[]): Outputs {
  const out: Outputs = {};
  for (const n of names) out[n] = results[n]!.data as TensorValues;
  return out;
}

/**
 * A forward (or gradient) graph: feed every input, get every output. Feeds the graph does not
 * take are ignored, so one map of parameter values can feed graphs that use only some of them.
 */
export class GraphSessionCore {
  protected constructor(
    private readonly ort: OrtTensors,
    private readonly session: InferenceSession,
    private readonly graph: ModelGraph,
  ) {}

  async run(feeds: Feeds): Promise<Outputs> {
    const res = await this.session.run(feedTensors(this.ort, this.graph.inputs, feeds, false));
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
 * step reads one set and the new values land in the other, then the sets swap. With
 * `preallocated` ORT writes them straight into the idle set (onnxruntime-node), so state never
 * passes through fresh allocations; without, they are copied there from ORT's outputs.
 */
export class TrainSessionCore {
  private cur: Map<string, Float32Array>;
  private next: Map<string, Float32Array>;
  private t = 0;

  protected constructor(
    private readonly ort: OrtTensors,
    private readonly session: InferenceSession,
    private readonly step: StepGraph,
    private readonly preallocated: boolean,
  ) {
    this.cur = new Map(step.state.map((s) => [s.input, new Float32Array(size(s.shape))]));
    this.next = new Map(step.state.map((s) => [s.input, new Float32Array(size(s.shape))]));
  }

  /** Sets the parameters (Adam moments stay at zero): the start of a run. */
  protected init(params: ReadonlyMap<string, Float32Array>): void {
    for (const slot of this.step.state) {
      if (slot.kind !== 'param') continue;
      const v = params.get(slot.param);
      if (!v) throw new Error(`TrainSession: no initial value for parameter '${slot.param}'`);
      this.cur.get(slot.input)!.set(checkLength(slot.param, v, size(slot.shape)));
    }
  }

  /** Steps taken so far (Adam's t for the next step is this plus one). */
  get stepCount(): number {
    return this.t;
  }

  /** One optimiser step. Returns the step graph's extra outputs ('loss', ...). */
  async run(feeds: Feeds, lr: number): Promise<Outputs> {
    const g = this.step;
    const ort = this.ort;
    const inputs = feedTensors(ort, g.feeds, feeds, true);
    inputs[g.lrInput] = new ort.Tensor('float32', Float32Array.of(lr), []);
    inputs[g.stepInput] = new ort.Tensor('float32', Float32Array.of(this.t + 1), []);
    const fetches: Record<string, Tensor | null> = {};
    for (const slot of g.state) {
      inputs[slot.input] = new ort.Tensor('float32', this.cur.get(slot.input)!, [...slot.shape]);
      fetches[slot.output] = this.preallocated
        ? new ort.Tensor('float32', this.next.get(slot.input)!, [...slot.shape])
        : null;
    }
    for (const o of g.outputs) fetches[o.name] = null;
    const res = await this.session.run(inputs, fetches);
    if (!this.preallocated) {
      for (const slot of g.state) {
        this.next.get(slot.input)!.set(res[slot.output]!.data as Float32Array);
      }
    }
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
