import { Graph, kaiming, op, Params, type ParamValues, type Tensor } from '../../graph';

/** Sizes of the FID-proxy classifier. */
export interface ClassifierConfig {
  channels: number;
  height: number;
  width: number;
  classes: number;
  /** Widths of the four 3x3 convs (the 2nd and 4th halve the resolution); the last is the feature size. */
  widths: [number, number, number, number];
}

export const CLASSIFIER_WIDTHS: ClassifierConfig['widths'] = [16, 32, 32, 64];

/** Input and outputs of the exported classifier. */
export const CLS_IO = { x: 'x', features: 'features', logits: 'logits' } as const;

function convLayer(p: Params, x: Tensor, cout: number, stride: number): Tensor {
  const cin = x.shape[1]!;
  const w = p.param('w', [cout, cin, 3, 3], kaiming(cin * 9, Math.SQRT2));
  const b = p.param('b', [cout], { kind: 'zeros' });
  return op.silu(op.conv2d(x, w, b, { stride, pad: 1 }));
}

/** Four SiLU convs, global average pool = the features (penultimate layer), then linear logits. */
export function classifier(
  p: Params,
  cfg: ClassifierConfig,
  x: Tensor,
): { features: Tensor; logits: Tensor } {
  const [n] = x.shape as [number];
  let h = x;
  cfg.widths.forEach((c, i) => (h = convLayer(p.scope(`conv${i}`), h, c, i % 2 === 1 ? 2 : 1)));
  const f = cfg.widths[3];
  const features = op.reshape(op.globalAvgPool(h), [n, f]);
  const w = p.param('fc.w', [cfg.classes, f], kaiming(f));
  const logits = op.linear(features, w, p.param('fc.b', [cfg.classes], { kind: 'zeros' }));
  return { features, logits };
}

/** Softmax cross-entropy of logits [B, K] against one-hot targets [B, K], averaged over the batch. */
export function crossEntropy(logits: Tensor, onehot: Tensor): Tensor {
  // Shifting by the (gradient-free) row mean keeps exp in range; the loss does not change.
  const z = op.sub(logits, op.stopGradient(op.reduceMean(logits, [1], true)));
  const lse = op.log(op.reduceSum(op.exp(z), [1], true));
  return op.mean(op.sub(lse, op.reduceSum(op.mul(onehot, z), [1], true)));
}

export function classifierTrainGraph(cfg: ClassifierConfig, batch: number) {
  const g = new Graph();
  const p = Params.create(g);
  const x = g.input('x', [batch, cfg.channels, cfg.height, cfg.width]);
  const onehot = g.input('onehot', [batch, cfg.classes]);
  const { logits } = classifier(p, cfg, x);
  return { params: p, loss: crossEntropy(logits, onehot), logits };
}

export function classifierExportGraph(cfg: ClassifierConfig, batch: number, values?: ParamValues) {
  const g = new Graph();
  const p = Params.create(g, values ? { kind: 'export', values } : { kind: 'train' });
  const out = classifier(p, cfg, g.input(CLS_IO.x, [batch, cfg.channels, cfg.height, cfg.width]));
  return { graph: g, ...out };
}
