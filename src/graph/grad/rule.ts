import type { Node, Tensor } from '../graph';

interface VjpArgs {
  readonly node: Node;
  /** Gradient of the loss with respect to each output (null: that output does not reach the loss). */
  readonly dy: readonly (Tensor | null)[];
  /** Which inputs depend on a parameter; rules may skip the others. */
  readonly needs: readonly boolean[];
}

/** Vector-Jacobian product: one gradient (or null) per node input. */
export type VjpRule = (args: VjpArgs) => readonly (Tensor | null)[];
