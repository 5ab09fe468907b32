import {
  add,
  cos,
  div,
  equal,
  greater,
  greaterOrEqual,
  less,
  log,
  mul,
  neg,
  pow,
  sin,
  sub,
  where,
} from '../ops';
import type { Tensor } from '../graph';
import type { VjpRule } from './rule';
import { unbroadcast } from './unbroadcast';

/** [x, sigmoid(x)] when a Mul's operands are a tensor and its own sigmoid (SiLU). */
function siluParts(a: Tensor, b: Tensor): [Tensor, Tensor] | null {
  if (b.producer?.op === 'Sigmoid' && b.producer.inputs[0] === a) return [a, b];
  if (a.producer?.op === 'Sigmoid' && a.producer.inputs[0] === b) return [b, a];
  return null;
}

const ins = (n: { inputs: readonly Tensor[] }): [Tensor, Tensor] => [n.inputs[0]!, n.inputs[1]!];

/** Unary rule from dx = f(dy, x, y). */
const unary =
  (f: (dy: Tensor, x: Tensor, y: Tensor) => Tensor): VjpRule =>
  ({ node, dy }) => [f(dy[0]!, node.inputs[0]!, node.outputs[0]!)];

export const elementwiseRules: Record<string, VjpRule> = {
  Add: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    return [needs[0] ? unbroadcast(d, a.shape) : null, needs[1] ? unbroadcast(d, b.shape) : null];
  },
  Sub: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    return [
      needs[0] ? unbroadcast(d, a.shape) : null,
      needs[1] ? unbroadcast(neg(d), b.shape) : null,
    ];
  },
  Mul: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    const silu = siluParts(a, b);
    if (silu) {
      // d/dx [x * sigmoid(x)] = s + y * (1 - s): four passes instead of six. Gradients that
      // reach s from other consumers still flow through the Sigmoid rule.
      const [x, s] = silu;
      const dx = mul(d, add(s, mul(node.outputs[0]!, sub(1, s))));
      return a === x ? [dx, null] : [null, dx];
    }
    return [
      needs[0] ? unbroadcast(mul(d, b), a.shape) : null,
      needs[1] ? unbroadcast(mul(d, a), b.shape) : null,
    ];
  },
  Div: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    const y = node.outputs[0]!;
    return [
      needs[0] ? unbroadcast(div(d, b), a.shape) : null,
      needs[1] ? unbroadcast(neg(div(mul(d, y), b)), b.shape) : null,
    ];
  },
  Pow: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    const y = node.outputs[0]!;
    return [
      needs[0] ? unbroadcast(mul(d, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
      needs[1] ? unbroadcast(mul(d, mul(y, log(a))), b.shape) : null,
    ];
  },
  Max: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    const aWins = greaterOrEqual(a, b);
    return [
      needs[0] ? unbroadcast(where(aWins, d, 0), a.shape) : null,
      needs[1] ? unbroadcast(where(aWins, 0, d), b.shape) : null,
    ];
  },
  Min: ({ node, dy, needs }) => {
    const [a, b] = ins(node);
    const d = dy[0]!;
    const bWins = less(b, a);
    return [
      needs[0] ? unbroadcast(where(bWins, 0, d), a.shape) : null,
      needs[1] ? unbroadcast(where(bWins, d, 0), b.shape) : null,
    ];
  },
  Neg: unary((dy) => neg(dy)),
  Sigmoid: unary((dy, _x, y) => mul(dy, mul(y, sub(1, y)))),
  Relu: unary((dy, _x, y) => where(greater(y, 0), dy, 0)),
  Tanh: unary((dy, _x, y) => mul(dy, sub(1, mul(y, y)))),
  Exp: unary((dy, _x, y) => mul(dy, y)),
  Log: unary((dy, x) => div(dy, x)),
  Sin: unary((dy, x) => mul(dy, cos(x))),
  Cos: unary((dy, x) => neg(mul(dy, sin(x)))),
  Sqrt: unary((dy, _x, y) => div(mul(dy, 0.5), y)),
  // The clipped output equals the input exactly where the clip is inactive.
  Clip: ({ node, dy }) => [where(equal(node.inputs[0]!, node.outputs[0]!), dy[0]!, 0), null, null],
  Identity: unary((dy) => dy),
  // Piecewise constant or non-float results: zero gradient.
  Floor: () => [null],
  Greater: () => [null, null],
  GreaterOrEqual: () => [null, null],
  Less: () => [null, null],
  Equal: () => [null, null],
  Where: ({ node, dy, needs }) => {
    const [cond, a, b] = node.inputs as [Tensor, Tensor, Tensor];
    const d = dy[0]!;
    return [
      null,
      needs[1] ? unbroadcast(where(cond, d, 0), a.shape) : null,
      needs[2] ? unbroadcast(where(cond, 0, d), b.shape) : null,
    ];
  },
};
