import { concat, reduceSum, slice } from '../ops';
import { convInputGrad } from './conv-input';
import type { Tensor } from '../graph';
import { convWeightGrad, type ConvGeometry } from './conv-weight';
import type { VjpRule } from './rule';

export const convRules: Record<string, VjpRule> = {
  Conv: ({ node, dy, needs }) => {
    const [x, w, b] = node.inputs as [Tensor, Tensor, Tensor | undefined];
    const d = dy[0]!;
    const geo: ConvGeometry = {
      stride: node.info.stride![0]!,
      pads: node.info.pads as [number, number, number, number],
    };
    const groups = node.info.groups![0]!;
    const dx = needs[0] ? convInputGrad(d, w, x, geo, groups) : null;
    let dw: Tensor | null = null;
    if (needs[1]) {
      if (groups === 1) {
        dw = convWeightGrad(x, d, w.shape, geo);
      } else {
        // Each group is an independent convolution; their weight gradients stack along O.
        const cg = x.shape[1]! / groups;
        const og = d.shape[1]! / groups;
        const parts: Tensor[] = [];
        for (let i = 0; i < groups; i++) {
          const xi = slice(x, [i * cg], [(i + 1) * cg], [1]);
          const di = slice(d, [i * og], [(i + 1) * og], [1]);
          parts.push(convWeightGrad(xi, di, [og, ...w.shape.slice(1)], geo));
        }
        dw = concat(parts, 0);
      }
    }
    const db = b && needs[2] ? reduceSum(d, [0, 2, 3]) : null;
    return b ? [dx, dw, db] : [dx, dw];
  },
};
