import type { Graph, Node } from './graph';
import type { DType, Shape } from './types';
import { sizeOf } from './types';

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
