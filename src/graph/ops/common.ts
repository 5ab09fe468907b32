import { GraphError, type Graph, type Tensor } from '../graph';
import { fmtShape, isFloat, type Shape } from '../types';

/** A tensor, or a plain number that becomes a scalar constant of the other operand's dtype. */
export type Operand = Tensor | number;

export function graphOf(...xs: Operand[]): Graph {
  for (const x of xs) if (typeof x !== 'number') return x.graph;
  throw new GraphError('an op needs at least one tensor operand');
}

export function asTensor(g: Graph, x: Operand, like: Tensor): Tensor {
  return typeof x === 'number' ? g.scalar(x, like.dtype) : x;
}

export function firstTensor(...xs: Operand[]): Tensor {
  for (const x of xs) if (typeof x !== 'number') return x;
  throw new GraphError('an op needs at least one tensor operand');
}

/** Numpy-style broadcast shape, or a GraphError naming the node and both shapes. */
export function broadcastShapes(node: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new GraphError(
        `${node}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function requireFloat(node: string, x: Tensor): void {
  if (!isFloat(x.dtype))
    throw new GraphError(`${node}: input ${x.name} has dtype ${x.dtype}, a float is needed`);
}

export function requireSameDtype(node: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new GraphError(`${node}: dtypes differ (${a.name}: ${a.dtype}, ${b.name}: ${b.dtype})`);
  }
}

/** Normalise possibly negative axes against a rank, rejecting out-of-range ones. */
export function normAxes(node: string, axes: readonly number[], rank: number): number[] {
  return axes.map((a) => {
    const n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank || !Number.isInteger(n)) {
      throw new GraphError(`${node}: axis ${a} is out of range for rank ${rank}`);
    }
    return n;
  });
}
