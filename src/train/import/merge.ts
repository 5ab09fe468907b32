import onnxProto, { type onnx } from 'onnx-proto';
import { forEachGraph, type ExternalModel } from './external';
import { JOIN, WRAPPER_OPS } from './wrapper';

const pb = onnxProto.onnx;

/** Prefix of every name that comes from the external graph, so none can clash with the wrapper's. */
const EXTERNAL_PREFIX = 'external/';

export interface MergeNames {
  /** The network's sample and timestep inputs and the output the wrapper reads. */
  readonly sample: string;
  readonly timestep: string;
  readonly output: string;
}

/**
 * Renames every value of the external graph (nodes, initializers, value infos, subgraphs of
 * If/Loop/Scan alike, so names a subgraph takes from the outer scope still match) through `rename`.
 * The empty name (an omitted optional input) stays empty.
 */
function renameGraph(g: onnx.IGraphProto, rename: (n: string) => string): void {
  forEachGraph(g, (sub) => {
    const r = (n: string | null | undefined) => (n ? rename(n) : (n ?? ''));
    for (const n of sub.node ?? []) {
      n.input = (n.input ?? []).map(r);
      n.output = (n.output ?? []).map(r);
      n.name = n.name ? `${EXTERNAL_PREFIX}${n.name}` : n.name;
    }
    for (const t of sub.initializer ?? []) t.name = r(t.name);
    for (const v of [...(sub.input ?? []), ...(sub.output ?? []), ...(sub.valueInfo ?? [])])
      v.name = r(v.name);
  });
}

/**
 * Every value a node reads: its inputs and, for If/Loop/Scan, whatever its subgraphs read from
 * the outer scope (an If branch may use the network's input, which the wrapper now computes).
 */
function reads(n: onnx.INodeProto): string[] {
  const names = [...(n.input ?? [])];
  for (const a of n.attribute ?? []) {
    for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])])
      forEachGraph(g, (sub) => (sub.node ?? []).forEach((m) => names.push(...(m.input ?? []))));
  }
  return names;
}

/** Kahn's order over the nodes' data dependencies (the wrapper's nodes sit on both sides). */
function topoSort(nodes: onnx.INodeProto[], available: Set<string>): onnx.INodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
  // Names made inside a subgraph are never top-level outputs (ONNX forbids shadowing), so only
  // outer-scope reads are kept.
  const waiting = nodes.map(
    (n) => new Set(reads(n).filter((i) => i !== '' && !available.has(i) && producer.has(i))),
  );
  const users = new Map<string, number[]>();
  waiting.forEach((deps, i) => deps.forEach((d) => users.set(d, [...(users.get(d) ?? []), i])));
  const ready = waiting.flatMap((d, i) => (d.size === 0 ? [i] : []));
  const out: onnx.INodeProto[] = [];
  while (ready.length > 0) {
    const i = ready.shift()!;
    out.push(nodes[i]!);
    for (const o of nodes[i]!.output ?? []) {
      for (const u of users.get(o) ?? []) {
        waiting[u]!.delete(o);
        if (waiting[u]!.size === 0) ready.push(u);
      }
    }
  }
  if (out.length !== nodes.length)
    throw new Error('import: the composed graph has a cycle (an internal error)');
  return out;
}

/**
 * One ONNX model from the wrapper and the external network: the network's nodes and weights are
 * renamed under EXTERNAL_PREFIX, its sample and timestep inputs become the wrapper's JOIN outputs,
 * and its output becomes the wrapper's JOIN input. The model keeps the network's opset imports
 * and local functions (the wrapper's ops mean the same at any opset from 7 on), so the network's
 * own nodes run exactly as before. Inputs `x`, `sigma`; output `denoised`.
 */
export function mergeWrapper(
  external: ExternalModel,
  wrapperBytes: Uint8Array,
  names: MergeNames,
): Uint8Array {
  const ext = pb.ModelProto.decode(pb.ModelProto.encode(external.proto).finish());
  const wrapper = pb.ModelProto.decode(wrapperBytes);
  const wg = wrapper.graph as onnx.GraphProto;
  for (const n of wg.node) {
    if (n.opType !== 'Identity' && !WRAPPER_OPS.has(n.opType ?? ''))
      throw new Error(
        `import: wrapper op ${n.opType ?? '?'} is not opset-neutral (an internal error)`,
      );
  }
  // A wrapper that passes the network's output straight through (prediction "sample" in [-1, 1])
  // names it with an Identity; the network's output takes that name instead.
  const passThrough = wg.node.find((n) => n.opType === 'Identity' && n.input?.[0] === JOIN.output);
  const joined = new Map([
    [names.sample, JOIN.sample],
    [names.timestep, JOIN.timestep],
    [names.output, passThrough?.output?.[0] ?? JOIN.output],
  ]);
  const eg = ext.graph as onnx.GraphProto;
  renameGraph(eg, (n) => joined.get(n) ?? `${EXTERNAL_PREFIX}${n}`);
  const joinNames = new Set(joined.values());
  const wrapperNodes = wg.node.filter((n) => n !== passThrough);
  const nodes = topoSort([...wrapperNodes, ...eg.node], new Set(['x', 'sigma']));
  const graph = pb.GraphProto.create({
    name: 'imported_denoiser',
    node: nodes,
    initializer: [...wg.initializer, ...eg.initializer],
    input: wg.input.filter((i) => i.name !== JOIN.output),
    output: wg.output.filter((o) => o.name === 'denoised'),
    valueInfo: eg.valueInfo.filter((v) => !joinNames.has(v.name ?? '')),
  });
  const opsets = ext.opsetImport.length
    ? ext.opsetImport
    : [pb.OperatorSetIdProto.create({ domain: '', version: 17 })];
  const model = pb.ModelProto.create({
    // IR 4 on, initializers need not be graph inputs (the network's are dropped from them).
    irVersion: Math.max(Number(ext.irVersion ?? 0), 4),
    producerName: 'qac-playground import',
    opsetImport: opsets,
    functions: ext.functions,
    graph,
  });
  return pb.ModelProto.encode(model).finish();
}
