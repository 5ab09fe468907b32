import { GraphError, type Tensor } from '../graph';
import { fmtShape, sameShape, sizeOf, type Shape } from '../types';
import { normAxes } from './common';

/** Reshape to a static shape; one entry may be -1 and is inferred. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Reshape');
  const known = shape.filter((d) => d !== -1);
  const holes = shape.length - known.length;
  const knownSize = sizeOf(known);
  let resolved = [...shape];
  if (holes > 1) throw new GraphError(`${node}: target ${fmtShape(shape)} has more than one -1`);
  if (holes === 1) {
    if (knownSize === 0 || x.size % knownSize !== 0) {
      throw new GraphError(`${node}: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    }
    resolved = shape.map((d) => (d === -1 ? x.size / knownSize : d));
  }
  if (sizeOf(resolved) !== x.size) {
    throw new GraphError(`${node}: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  if (sameShape(resolved, x.shape)) return x;
  return g.add1('Reshape', [x, g.int64s(resolved)], { shape: resolved, dtype: x.dtype });
}

export function flatten(x: Tensor, fromAxis = 1): Tensor {
  const lead = x.shape.slice(0, fromAxis);
  return reshape(x, [...lead, sizeOf(x.shape.slice(fromAxis))]);
}

export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Transpose');
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== x.rank || sorted.some((p, i) => p !== i)) {
    throw new GraphError(
      `${node}: perm [${perm.join(',')}] is not a permutation of the axes of ${fmtShape(x.shape)}`,
    );
  }
  if (perm.every((p, i) => p === i)) return x;
  return g.add1(
    'Transpose',
    [x],
    { shape: perm.map((p) => x.shape[p]!), dtype: x.dtype },
    { attrs: { perm: { kind: 'ints', value: [...perm] } } },
  );
}

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new GraphError('Concat: no inputs');
  const g = xs[0]!.graph;
  const node = g.nextNodeName('Concat');
  const first = xs[0]!;
  const [ax] = normAxes(node, [axis], first.rank) as [number];
  let total = 0;
  for (const x of xs) {
    const ok =
      x.rank === first.rank &&
      x.dtype === first.dtype &&
      x.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!ok) {
      throw new GraphError(
        `${node}: ${x.name} ${fmtShape(x.shape)}:${x.dtype} does not match ${first.name} ${fmtShape(first.shape)}:${first.dtype} outside axis ${ax}`,
      );
    }
    total += x.shape[ax]!;
  }
  if (xs.length === 1) return first;
  const shape = first.shape.map((d, i) => (i === ax ? total : d));
  return g.add1(
    'Concat',
    xs,
    { shape, dtype: first.dtype },
    { attrs: { axis: { kind: 'int', value: ax } } },
  );
}

/** Split along `axis` into pieces of the given sizes (which must add up to the axis length). */
export function split(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  const g = x.graph;
  const node = g.nextNodeName('Split');
  const [ax] = normAxes(node, [axis], x.rank) as [number];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== x.shape[ax]) {
    throw new GraphError(
      `${node}: sizes [${sizes.join(',')}] do not add up to axis ${ax} of ${fmtShape(x.shape)}`,
    );
  }
  if (sizes.length === 1) return [x];
  const outs = sizes.map((s) => ({
    shape: x.shape.map((d, i) => (i === ax ? s : d)),
    dtype: x.dtype,
  }));
  return g.addNode('Split', [x, g.int64s(sizes)], outs, {
    attrs: { axis: { kind: 'int', value: ax } },
    info: { sizes },
  });
}

/** Slice [start, end) with step 1 along each listed axis. */
export function slice(
  x: Tensor,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Slice');
  const ax = normAxes(node, axes, x.rank);
  if (starts.length !== ax.length || ends.length !== ax.length) {
    throw new GraphError(`${node}: starts, ends and axes must have the same length`);
  }
  const shape = [...x.shape];
  const begin = x.shape.map(() => 0);
  ax.forEach((a, i) => {
    const dim = x.shape[a]!;
    const s = starts[i]!;
    const e = ends[i]!;
    if (!(s >= 0 && s < e && e <= dim)) {
      throw new GraphError(
        `${node}: range [${s}, ${e}) is empty or outside axis ${a} of ${fmtShape(x.shape)}`,
      );
    }
    shape[a] = e - s;
    begin[a] = s;
  });
  if (sameShape(shape, x.shape)) return x;
  return g.add1(
    'Slice',
    [x, g.int64s(starts), g.int64s(ends), g.int64s(ax)],
    { shape, dtype: x.dtype },
    {
      info: { begin },
    },
  );
}

/** Zero-pad: `pads` lists the amount before each axis, then after each axis (ONNX order). */
export function pad(x: Tensor, pads: readonly number[]): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Pad');
  if (pads.length !== 2 * x.rank || pads.some((p) => p < 0 || !Number.isInteger(p))) {
    throw new GraphError(`${node}: pads [${pads.join(',')}] do not fit ${fmtShape(x.shape)}`);
  }
  if (pads.every((p) => p === 0)) return x;
  const shape = x.shape.map((d, i) => d + pads[i]! + pads[i + x.rank]!);
  return g.add1('Pad', [x, g.int64s(pads)], { shape, dtype: x.dtype }, { info: { pads } });
}

/** Broadcast to a larger static shape (numpy rules). */
export function expand(x: Tensor, shape: Shape): Tensor {
  const g = x.graph;
  const node = g.nextNodeName('Expand');
  const ok =
    shape.length >= x.rank &&
    x.shape.every((d, i) => d === 1 || d === shape[shape.length - x.rank + i]);
  if (!ok)
    throw new GraphError(`${node}: cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (sameShape(x.shape, shape)) return x;
  return g.add1('Expand', [x, g.int64s(shape)], { shape, dtype: x.dtype });
}
