import onnxProto, { type onnx } from 'onnx-proto';

const pb = onnxProto.onnx;
const T = pb.TensorProto.DataType;

/** Element types an external network's sample and timestep inputs may have. */
type ExternalDType = 'float32' | 'int64' | 'other';

export interface ExternalTensor {
  readonly name: string;
  readonly dtype: ExternalDType;
  /** The ONNX element type's name, for messages ("FLOAT16"). */
  readonly typeName: string;
  /** Each dim: a number, a symbolic name, or null when the graph does not say. Null: no shape. */
  readonly dims: readonly (number | string | null)[] | null;
}

/** What an external ONNX file declares, decoded once with onnx-proto. */
export interface ExternalModel {
  readonly proto: onnx.ModelProto;
  /** Graph inputs that are fed (inputs backed by an initializer are left out: they are optional). */
  readonly inputs: readonly ExternalTensor[];
  readonly outputs: readonly ExternalTensor[];
  /** The default-domain opset the graph was written for. */
  readonly opset: number;
  /** Element count of the float initializers (the network's parameters, roughly). */
  readonly parameters: number;
}

/** A problem with the external file, phrased to follow "--onnx FILE: ". */
export class ExternalModelError extends Error {
  override name = 'ExternalModelError';
}

const typeName = (elem: number): string => T[elem] ?? `type ${elem}`;

function tensorOf(v: onnx.IValueInfoProto): ExternalTensor {
  const tt = v.type?.tensorType;
  const elem = tt?.elemType ?? 0;
  return {
    name: v.name ?? '',
    dtype: elem === T.FLOAT ? 'float32' : elem === T.INT64 ? 'int64' : 'other',
    typeName: tt ? typeName(elem) : 'not a tensor',
    dims: tt?.shape
      ? (tt.shape.dim ?? []).map((d) =>
          // A decoded Dimension says which member of its oneof is set.
          (d as onnx.TensorShapeProto.Dimension).value === 'dimValue'
            ? Number(d.dimValue)
            : (d as onnx.TensorShapeProto.Dimension).value === 'dimParam' && d.dimParam
              ? d.dimParam
              : null,
        )
      : null,
  };
}

/** Walks every graph of the model, subgraphs of If/Loop/Scan included. */
export function forEachGraph(g: onnx.IGraphProto, visit: (g: onnx.IGraphProto) => void): void {
  visit(g);
  for (const n of g.node ?? []) {
    for (const a of n.attribute ?? []) {
      if (a.g) forEachGraph(a.g, visit);
      for (const sub of a.graphs ?? []) forEachGraph(sub, visit);
    }
  }
}

/**
 * Decodes an ONNX file and lists what the import needs from it. Refuses what cannot be imported
 * in one file: weights in external data files, a graph without nodes.
 */
export function readExternalModel(bytes: Uint8Array): ExternalModel {
  let proto: onnx.ModelProto;
  try {
    proto = pb.ModelProto.decode(bytes);
  } catch (e) {
    throw new ExternalModelError(`is not an ONNX model (${(e as Error).message})`);
  }
  const graph = proto.graph;
  if (!graph || (graph.node ?? []).length === 0)
    throw new ExternalModelError('is not an ONNX model (it has no graph nodes)');
  let external = false;
  forEachGraph(graph, (g) => {
    for (const t of g.initializer ?? [])
      if (t.dataLocation === pb.TensorProto.DataLocation.EXTERNAL) external = true;
  });
  if (external) {
    throw new ExternalModelError(
      'keeps its weights in separate external-data files; re-export it as one file (torch.onnx.export without external data, or onnx.save with save_as_external_data=False)',
    );
  }
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const opset = (proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  let parameters = 0;
  for (const t of graph.initializer ?? []) {
    if (t.dataType === T.FLOAT || t.dataType === T.FLOAT16 || t.dataType === T.DOUBLE)
      parameters += (t.dims ?? []).reduce<number>((n, d) => n * Number(d), 1);
  }
  return {
    proto,
    inputs: (graph.input ?? []).filter((i) => !initNames.has(i.name ?? '')).map(tensorOf),
    outputs: (graph.output ?? []).map(tensorOf),
    opset: opset ? Number(opset.version) : 0,
    parameters,
  };
}
