import { GraphError, type Region, type Tensor } from '../graph';
import { add, expand } from '../ops';
import { fmtShape, isFloat } from '../types';
import { convRules } from './conv-rules';
import { elementwiseRules } from './elementwise-rules';
import { linearRules } from './linear-rules';
import type { VjpRule } from './rule';
import { shapeRules } from './shape-rules';

const RULES: Readonly<Record<string, VjpRule>> = {
  ...elementwiseRules,
  ...shapeRules,
  ...linearRules,
  ...convRules,
};

/**
 * Append the backward graph of a scalar `loss` and return d(loss)/d(p) for each parameter
 * (same order). Parameters the loss does not depend on get zeros.
 */
export function grad(loss: Tensor, params: readonly Tensor[]): Tensor[] {
  const g = loss.graph;
  if (loss.size !== 1 || !isFloat(loss.dtype)) {
    throw new GraphError(
      `grad: loss ${loss.name} must be a float scalar, got ${fmtShape(loss.shape)}:${loss.dtype}`,
    );
  }
  for (const p of params) {
    if (p.graph !== g) throw new GraphError(`grad: parameter ${p.name} belongs to another graph`);
    if (p.role !== 'param') {
      throw new GraphError(
        `grad: ${p.name} is not a parameter (it is a ${p.role} tensor); gradients are taken only for parameters`,
      );
    }
  }
  // Forward sweep: which tensors depend on a parameter.
  const depends = new Set<Tensor>(params);
  const lossId = loss.producer?.id ?? -1;
  for (const node of g.nodes) {
    if (node.id > lossId) break;
    if (!node.noGrad && node.inputs.some((t) => depends.has(t)))
      for (const o of node.outputs) depends.add(o);
  }
  const grads = new Map<Tensor, Tensor>([[loss, expand(g.scalar(1, loss.dtype), loss.shape)]]);
  const accumulate = (t: Tensor, d: Tensor): void => {
    const prev = grads.get(t);
    grads.set(t, prev ? add(prev, d) : d);
  };
  const doneRegions = new Set<Region>();
  // Reverse sweep over the nodes that lead to the loss (creation order is topological).
  for (let i = lossId; i >= 0; i--) {
    const node = g.nodes[i]!;
    if (node.noGrad || !node.outputs.some((o) => depends.has(o))) continue;
    if (node.region) {
      // The first node met in reverse order stands for the whole composite.
      const r = node.region;
      if (doneRegions.has(r)) continue;
      doneRegions.add(r);
      const dy = r.outputs.map((o) => grads.get(o) ?? null);
      if (dy.every((d) => d === null)) continue;
      const dx = g.scope(`grad/${r.name}`, () => r.vjp(dy, (t) => depends.has(t)));
      for (const [t, d] of dx) if (depends.has(t)) accumulate(t, d);
      continue;
    }
    const dy = node.outputs.map((o) => grads.get(o) ?? null);
    if (dy.every((d) => d === null)) continue;
    const rule = RULES[node.op];
    if (!rule) {
      throw new GraphError(
        `grad: no gradient rule for op '${node.op}' (node ${node.name}); use stopGradient or straightThrough around it`,
      );
    }
    const needs = node.inputs.map((t) => depends.has(t));
    const dx = g.scope(`grad`, () => rule({ node, dy, needs }));
    node.inputs.forEach((t, k) => {
      const d = dx[k];
      if (d && needs[k]) accumulate(t, d);
    });
  }
  return params.map((p) => grads.get(p) ?? expand(g.scalar(0, p.dtype), p.shape));
}
