import onnxProto, { type onnx } from 'onnx-proto';
import { batchRewrites } from './dynamic-batch';
import { GraphError, type Graph, type Node, type Tensor } from './graph';
import type { Attr, DType, Shape, TensorData } from './types';

const pb = onnxProto.onnx;

const OPSET = 17;
/** onnx 1.12 (Debian's python3-onnx) checks IR version 8, which opset 17 belongs to. */
const IR_VERSION = 8;

const ELEM_TYPE: Record<DType, number> = {
  float32: pb.TensorProto.DataType.FLOAT,
  float64: pb.TensorProto.DataType.DOUBLE,
  int64: pb.TensorProto.DataType.INT64,
  bool: pb.TensorProto.DataType.BOOL,
};

export interface TensorInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A serialised model plus the names, shapes and dtypes of its inputs and outputs. */
export interface ModelGraph {
  readonly model: Uint8Array;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
}

export interface SerializeOptions {
  /** Graph outputs by name. */
  readonly outputs: Readonly<Record<string, Tensor>>;
  /** When set, every emitted op must be in this set (export to WebGPU/wasm). */
  readonly allowedOps?: ReadonlySet<string>;
  readonly graphName?: string;
  /**
   * Name of a symbolic batch dimension: axis 0 of every input and output becomes this dim_param
   * and batch-sized shape constants are rewritten (see dynamic-batch.ts).
   */
  readonly dynamicBatch?: string;
}

function attrProto(name: string, a: Attr): onnx.IAttributeProto {
  const T = pb.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function tensorProto(name: string, t: Tensor, data: TensorData): onnx.ITensorProto {
  return {
    name,
    dims: [...t.shape],
    dataType: ELEM_TYPE[t.dtype],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function valueInfo(name: string, t: Tensor, batchDim?: string): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[t.dtype],
        shape: {
          dim: t.shape.map((d, i) =>
            i === 0 && batchDim !== undefined ? { dimParam: batchDim } : { dimValue: d },
          ),
        },
      },
    },
  };
}

/** Follow Identity nodes back to their source (Identity is not a WebGPU EP op). */
function resolve(t: Tensor): Tensor {
  let cur = t;
  while (cur.producer?.op === 'Identity') cur = cur.producer.inputs[0]!;
  return cur;
}

/**
 * Serialise the part of `g` that computes `outputs` as an ONNX model. Unused nodes, inputs
 * and constants are dropped; Identity nodes are folded away.
 */
export function serialize(g: Graph, opts: SerializeOptions): ModelGraph {
  const entries = Object.entries(opts.outputs);
  if (entries.length === 0) throw new GraphError('serialize: no outputs requested');
  const nameOf = new Map<Tensor, string>();
  const copies: [Tensor, string][] = [];
  const taken = new Set(g.tensors.map((t) => t.name));
  for (const [outName, t0] of entries) {
    if (t0.graph !== g)
      throw new GraphError(`serialize: output '${outName}' belongs to another graph`);
    const t = resolve(t0);
    if (taken.has(outName) && t.name !== outName) {
      throw new GraphError(
        `serialize: output name '${outName}' is already the name of another tensor`,
      );
    }
    if (t.role === 'node' && !nameOf.has(t)) {
      nameOf.set(t, outName);
    } else if (t.name !== outName) {
      // Inputs, constants and tensors already exported under another name need a copy.
      copies.push([t, outName]);
    }
    taken.add(outName);
  }
  const name = (t: Tensor): string => nameOf.get(t) ?? t.name;

  const needed = new Set<Node>();
  const leaves = new Set<Tensor>();
  const stack = entries.map(([, t]) => resolve(t));
  while (stack.length > 0) {
    const t = stack.pop()!;
    const p = t.producer;
    if (!p) {
      leaves.add(t);
      continue;
    }
    if (needed.has(p)) continue;
    needed.add(p);
    for (const i of p.inputs) stack.push(resolve(i));
  }
  const sortedLeaves = [...leaves].sort((a, b) => a.id - b.id);
  const fed = sortedLeaves.filter((t) => t.role !== 'const');
  const rewrites = opts.dynamicBatch
    ? batchRewrites(
        g,
        g.nodes.filter((n) => needed.has(n)),
        fed,
        batchSizeOf(fed, entries),
      )
    : [];
  const rewritten = new Map(rewrites.map((r) => [`${r.node.id}:${r.input}`, r.name]));
  const nodes: onnx.INodeProto[] = [];
  for (const node of g.nodes) {
    if (!needed.has(node)) continue;
    if (opts.allowedOps && !opts.allowedOps.has(node.op)) {
      throw new GraphError(
        `export: op '${node.op}' (node ${node.name}) is not supported by the WebGPU/wasm EPs`,
      );
    }
    nodes.push({
      opType: node.op,
      name: node.name,
      input: node.inputs.map((t, k) => rewritten.get(`${node.id}:${k}`) ?? name(resolve(t))),
      output: node.outputs.map(name),
      attribute: Object.entries(node.attrs).map(([k, a]) => attrProto(k, a)),
    });
  }
  const copyNodes = copies.map(([t, out]) => ({
    opType: 'Identity',
    name: `out:${out}`,
    input: [name(t)],
    output: [out],
  }));
  // A rewritten shape constant may be left without users; ORT warns about unused initializers.
  const used = new Set([...nodes, ...copyNodes].flatMap((n) => n.input ?? []));
  const initializer = [
    ...sortedLeaves
      .filter((t) => t.role === 'const' && (rewrites.length === 0 || used.has(t.name)))
      .map((t) => tensorProto(t.name, t, g.constants.get(t)!)),
    ...rewrites.map((r) => ({
      name: r.name,
      dims: [r.data.length],
      dataType: ELEM_TYPE.int64,
      rawData: new Uint8Array(r.data.buffer),
    })),
  ];
  const input = fed.map((t) => valueInfo(t.name, t, opts.dynamicBatch));
  const model = pb.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'qac-playground',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: opts.graphName ?? 'graph',
      node: [...nodes, ...copyNodes],
      initializer,
      input,
      output: entries.map(([outName, t]) => valueInfo(outName, t, opts.dynamicBatch)),
    },
  });
  const info = (n: string, t: Tensor): TensorInfo => ({ name: n, shape: t.shape, dtype: t.dtype });
  return {
    model: pb.ModelProto.encode(model).finish(),
    inputs: sortedLeaves.filter((t) => t.role !== 'const').map((t) => info(t.name, t)),
    outputs: entries.map(([n, t]) => info(n, t)),
  };
}

/** The common axis-0 size of every graph input and output, which a dynamic batch replaces. */
function batchSizeOf(inputs: readonly Tensor[], outputs: readonly [string, Tensor][]): number {
  const all: [string, Tensor][] = [...inputs.map((t): [string, Tensor] => [t.name, t]), ...outputs];
  const batch = all[0]?.[1].shape[0];
  for (const [n, t] of all) {
    if (t.rank === 0 || t.shape[0] !== batch) {
      throw new GraphError(
        `dynamic batch: '${n}' ${t.shape.length ? `[${t.shape.join(',')}]` : 'scalar'} does not start with the batch size ${batch} of '${all[0]![0]}'`,
      );
    }
  }
  return batch!;
}
