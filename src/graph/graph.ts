import type { Attrs, DType, Shape, TensorData } from './types';
import { fmtShape, sizeOf } from './types';

/**
 * How a tensor enters the graph: a fed `data` input, a trainable `param` (a graph input in
 * training graphs), a `const` initializer, or the output of a node.
 */
export type TensorRole = 'data' | 'param' | 'const' | 'node';

/** A symbolic tensor with a static shape. Created only by a Graph. */
export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly name: string,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly role: TensorRole,
    readonly producer: Node | null,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  toString(): string {
    return `${this.name}${JSON.stringify(this.shape)}:${this.dtype}`;
  }
}

/** One recorded ONNX node. `info` carries builder-level facts the gradient rules need. */
export interface Node {
  readonly id: number;
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
  readonly info: Readonly<Record<string, readonly number[]>>;
  /** Gradients do not flow through this node (stopGradient). */
  readonly noGrad: boolean;
  /** Set when the node belongs to a composite op with its own gradient rule. */
  readonly region: Region | null;
}

/**
 * Gradients of a composite op's external inputs from those of its outputs. `needs` says
 * which inputs depend on a parameter; the rule may leave the others out.
 */
export type RegionVjp = (
  dy: readonly (Tensor | null)[],
  needs: (t: Tensor) => boolean,
) => ReadonlyMap<Tensor, Tensor>;

/**
 * A group of nodes (a composite op such as GroupNorm) whose gradient is given as a whole
 * instead of node by node. Its internal tensors must not be used outside it.
 */
export interface Region {
  readonly name: string;
  readonly outputs: readonly Tensor[];
  readonly vjp: RegionVjp;
}

export interface OutSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface NodeOptions {
  readonly attrs?: Attrs;
  readonly info?: Readonly<Record<string, readonly number[]>>;
  readonly noGrad?: boolean;
}

/** Thrown for every build-time problem: bad shapes, unknown names, missing gradient rules. */
export class GraphError extends Error {
  override name = 'GraphError';
}

/** Every op the helpers in ops/ emit; anything else is refused when the node is added. */
const KNOWN_OPS: ReadonlySet<string> = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Min',
  'Max',
  'Neg',
  'Sigmoid',
  'Relu',
  'Tanh',
  'Exp',
  'Log',
  'Sin',
  'Cos',
  'Sqrt',
  'Floor',
  'Clip',
  'Identity',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'Equal',
  'Where',
  'Cast',
  'Reshape',
  'Transpose',
  'Concat',
  'Split',
  'Slice',
  'Pad',
  'Expand',
  'ReduceSum',
  'ReduceMean',
  'Conv',
  'ConvTranspose',
  'Resize',
  'GlobalAveragePool',
  'AveragePool',
  'MatMul',
  'Gemm',
]);

const ELEMENT_BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

/**
 * Records a static-shape ONNX graph. Nodes are appended in creation order, which is
 * therefore a topological order; serialisation and gradients rely on that.
 */
export class Graph {
  readonly nodes: Node[] = [];
  readonly tensors: Tensor[] = [];
  readonly constants = new Map<Tensor, TensorData>();
  private readonly names = new Set<string>();
  private readonly scopes: string[] = [];
  private readonly int64Cache = new Map<string, Tensor>();
  private region: { name: string; outputs: readonly Tensor[]; vjp: RegionVjp } | null = null;

  /** A fed input: data (images, noise levels, learning rate) or a trainable parameter. */
  input(
    name: string,
    shape: Shape,
    dtype: DType = 'float32',
    role: 'data' | 'param' = 'data',
  ): Tensor {
    return this.newTensor(name, shape, dtype, role, null);
  }

  /** A named constant tensor (an ONNX initializer). */
  initializer(name: string, data: TensorData, shape: Shape, dtype: DType): Tensor {
    const expected = sizeOf(shape);
    const got = data.byteLength / ELEMENT_BYTES[dtype];
    if (got !== expected) {
      throw new GraphError(
        `initializer '${name}': ${got} values given for shape ${fmtShape(shape)} (${expected} expected)`,
      );
    }
    const t = this.newTensor(name, shape, dtype, 'const', null);
    this.constants.set(t, data);
    return t;
  }

  /** An anonymous float constant; `values` of length 1 with shape [] gives a scalar. */
  constant(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): Tensor {
    const data =
      dtype === 'float64'
        ? Float64Array.from(values)
        : dtype === 'float32'
          ? Float32Array.from(values)
          : dtype === 'int64'
            ? BigInt64Array.from(Array.from(values, (v) => BigInt(v)))
            : Uint8Array.from(values);
    return this.initializer(this.freshName('const'), data, shape, dtype);
  }

  scalar(value: number, dtype: DType = 'float32'): Tensor {
    return this.constant([value], [], dtype);
  }

  /** 1-D int64 constant (shapes, axes, pads), shared between nodes that use the same values. */
  int64s(values: readonly number[]): Tensor {
    const key = values.join(',');
    let t = this.int64Cache.get(key);
    if (!t) {
      t = this.constant(values, [values.length], 'int64');
      this.int64Cache.set(key, t);
    }
    return t;
  }

  /** Prefix node names created inside `fn` (for readable error messages and graphs). */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * Build a composite op whose backward pass is `vjp` rather than the chain of its nodes'
   * rules (fewer, fused passes). Inside another composite it is simply inlined.
   */
  composite<T extends readonly Tensor[]>(
    name: string,
    build: () => { outputs: T; vjp: RegionVjp },
  ): T {
    if (this.region) return build().outputs;
    const region = { name, outputs: [] as readonly Tensor[], vjp: (() => new Map()) as RegionVjp };
    this.region = region;
    try {
      const built = this.scope(name, build);
      region.outputs = built.outputs;
      region.vjp = built.vjp;
      return built.outputs;
    } finally {
      this.region = null;
    }
  }

  /** The name the next node of type `op` will get; shape checks use it in their messages. */
  nextNodeName(op: string): string {
    return [...this.scopes, `${op}_${this.nodes.length}`].join('/');
  }

  addNode(
    op: string,
    inputs: readonly Tensor[],
    outs: readonly OutSpec[],
    opts: NodeOptions = {},
  ): Tensor[] {
    if (!KNOWN_OPS.has(op))
      throw new GraphError(`unknown op '${op}' (node ${this.nextNodeName(op)})`);
    for (const t of inputs) {
      if (t.graph !== this) throw new GraphError(`${op}: input ${t.name} belongs to another graph`);
    }
    const name = this.nextNodeName(op);
    const outputs: Tensor[] = [];
    const node: Node = {
      id: this.nodes.length,
      op,
      name,
      inputs,
      outputs,
      attrs: opts.attrs ?? {},
      info: opts.info ?? {},
      noGrad: opts.noGrad ?? false,
      region: this.region,
    };
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      outputs.push(this.newTensor(this.freshName(`${name}:${i}`), o.shape, o.dtype, 'node', node));
    }
    this.nodes.push(node);
    return outputs;
  }

  /** Convenience for the common single-output case. */
  add1(op: string, inputs: readonly Tensor[], out: OutSpec, opts: NodeOptions = {}): Tensor {
    return this.addNode(op, inputs, [out], opts)[0]!;
  }

  private freshName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    return name;
  }

  private newTensor(
    name: string,
    shape: Shape,
    dtype: DType,
    role: TensorRole,
    producer: Node | null,
  ): Tensor {
    if (this.names.has(name))
      throw new GraphError(`tensor name '${name}' is already used in this graph`);
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new GraphError(
          `tensor '${name}': shape ${fmtShape(shape)} must hold non-negative integers`,
        );
      }
    }
    this.names.add(name);
    const t = new Tensor(this, this.tensors.length, name, [...shape], dtype, role, producer);
    this.tensors.push(t);
    return t;
  }
}
