import { GraphError, type Graph, type Node, type Tensor } from './graph';
import { fmtShape } from './types';

/** A replacement for one node input: a fresh int64 initializer with batch-agnostic values. */
export interface BatchRewrite {
  readonly node: Node;
  readonly input: number;
  readonly name: string;
  readonly data: BigInt64Array;
}

const int64Values = (g: Graph, t: Tensor): number[] | null => {
  const data = t.role === 'const' ? g.constants.get(t) : undefined;
  return data instanceof BigInt64Array ? Array.from(data, Number) : null;
};

/**
 * Makes a static-shape graph run at any batch size: axis 0 of every graph input and output is
 * the batch axis of size `batch`, and no node may mix samples. Only nodes downstream of an input
 * are looked at. Reshape targets get 0 ("copy the
 * input's dim") on axis 0 and Expand targets get 1; any node that works along axis 0 (Concat,
 * Split, Slice, Pad, reductions, Transpose moving it, a constant carrying a batch axis) is refused
 * with a GraphError naming it.
 */
export function batchRewrites(
  g: Graph,
  nodes: readonly Node[],
  fed: readonly Tensor[],
  batch: number,
): BatchRewrite[] {
  const out: BatchRewrite[] = [];
  const refuse = (node: Node, why: string): never => {
    throw new GraphError(`dynamic batch: node ${node.name} (${node.op}) ${why}`);
  };
  // Tensors computed from a fed input carry the batch axis; parameters and constants do not.
  const batched = new Set<Tensor>(fed);
  for (const node of nodes) {
    if (!node.inputs.some((t) => batched.has(t))) continue;
    for (const o of node.outputs) batched.add(o);
    const x = node.inputs[0];
    const y = node.outputs[0];
    const keepsBatch =
      x !== undefined && y !== undefined && x.shape[0] === batch && y.shape[0] === batch;
    switch (node.op) {
      case 'Reshape':
      case 'Expand': {
        const target = int64Values(g, node.inputs[1]!);
        if (!target || !keepsBatch) refuse(node, `changes the batch axis of ${fmtShape(x!.shape)}`);
        const fill = node.op === 'Reshape' ? 0 : 1;
        const data = BigInt64Array.from([fill, ...target!.slice(1)].map((v) => BigInt(v)));
        out.push({ node, input: 1, name: `${node.name}/batch_shape`, data });
        continue;
      }
      case 'Concat':
      case 'Split': {
        const axis = node.attrs.axis;
        if (axis?.kind === 'int' && axis.value === 0) refuse(node, 'works along the batch axis');
        break;
      }
      case 'Slice':
        if ((int64Values(g, node.inputs[3]!) ?? [0]).includes(0))
          refuse(node, 'slices the batch axis');
        break;
      case 'Pad': {
        const pads = node.info.pads ?? [];
        if ((pads[0] ?? 0) !== 0 || (pads[x!.rank] ?? 0) !== 0) refuse(node, 'pads the batch axis');
        break;
      }
      case 'ReduceSum':
      case 'ReduceMean':
        if ((node.info.axes ?? []).includes(0)) refuse(node, 'reduces over the batch axis');
        break;
      case 'Transpose': {
        const perm = node.attrs.perm;
        if (perm?.kind === 'ints' && perm.value[0] !== 0) refuse(node, 'moves the batch axis');
        break;
      }
    }
    for (const t of node.inputs) {
      if (
        t.role === 'const' &&
        t.dtype !== 'int64' &&
        batch > 1 &&
        t.rank === y?.rank &&
        t.shape[0] === batch
      )
        refuse(node, `uses constant ${t.name} ${fmtShape(t.shape)} that carries a batch axis`);
    }
  }
  return out;
}
