import { GraphError, type Tensor } from '../graph';
import { avgPool2x, concat, expand, mul, pad, reshape, slice, split, transpose } from '../ops';
import { sizeOf } from '../types';
import type { VjpRule } from './rule';
import { unbroadcast } from './unbroadcast';

function zerosLike(t: Tensor): Tensor {
  return expand(t.graph.scalar(0, t.dtype), t.shape);
}

function info(
  node: { name: string; info: Readonly<Record<string, readonly number[]>> },
  key: string,
): readonly number[] {
  const v = node.info[key];
  if (!v)
    throw new GraphError(
      `grad: node ${node.name} lacks '${key}' (was it built outside the op helpers?)`,
    );
  return v;
}

/** Gradient of a reduction: broadcast dy back over the reduced axes. */
function unreduce(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return expand(reshape(dy, kept), x.shape);
}

export const shapeRules: Record<string, VjpRule> = {
  Reshape: ({ node, dy }) => [reshape(dy[0]!, node.inputs[0]!.shape), null],
  Transpose: ({ node, dy }) => {
    const perm = (node.attrs.perm as { value: readonly number[] }).value;
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy[0]!, inverse)];
  },
  Concat: ({ node, dy, needs }) => {
    const axis = (node.attrs.axis as { value: number }).value;
    const parts = split(
      dy[0]!,
      node.inputs.map((t) => t.shape[axis]!),
      axis,
    );
    return parts.map((p, i) => (needs[i] ? p : null));
  },
  Split: ({ node, dy }) => {
    const axis = (node.attrs.axis as { value: number }).value;
    const parts = node.outputs.map((o, i) => dy[i] ?? zerosLike(o));
    return [concat(parts, axis), null];
  },
  Slice: ({ node, dy }) => {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const begin = info(node, 'begin');
    const after = x.shape.map((d, i) => d - begin[i]! - y.shape[i]!);
    return [pad(dy[0]!, [...begin, ...after]), null, null, null];
  },
  Pad: ({ node, dy }) => {
    const x = node.inputs[0]!;
    const pads = info(node, 'pads');
    const axes = x.shape.map((_, i) => i);
    const starts = axes.map((i) => pads[i]!);
    return [
      slice(
        dy[0]!,
        starts,
        axes.map((i) => starts[i]! + x.shape[i]!),
        axes,
      ),
      null,
    ];
  },
  Expand: ({ node, dy }) => [unbroadcast(dy[0]!, node.inputs[0]!.shape), null],
  ReduceSum: ({ node, dy }) => [unreduce(dy[0]!, node.inputs[0]!, info(node, 'axes')), null],
  ReduceMean: ({ node, dy }) => {
    const x = node.inputs[0]!;
    const axes = info(node, 'axes');
    const count = sizeOf(axes.map((a) => x.shape[a]!));
    return [unreduce(mul(dy[0]!, 1 / count), x, axes)];
  },
  GlobalAveragePool: ({ node, dy }) => {
    const x = node.inputs[0]!;
    return [expand(mul(dy[0]!, 1 / (x.shape[2]! * x.shape[3]!)), x.shape)];
  },
  // Nearest 2x upsampling copies each pixel into a 2x2 block; its adjoint sums the block
  // (AveragePool is several times faster than ReduceSum over the interleaved axes).
  Resize: ({ dy }) => [mul(avgPool2x(dy[0]!), 4), null, null],
};
