import { Graph, kaiming, op, Params, type ParamValues, type Tensor } from '../../graph';

/** Sizes of an FID-proxy classifier; the optional fields default to the first (64-feature) design. */
export interface ClassifierConfig {
  channels: number;
  height: number;
  width: number;
  classes: number;
  /** Output channels of the 3x3 convs, in order. */
  widths: number[];
  /** Stride of each conv; absent: 1, 2, 1, 2, ... */
  strides?: number[];
  /** GroupNorm groups after each conv, before the activation; absent: no normalisation. */
  groups?: number;
  /** Features = flatten -> Linear(hidden) -> activation; absent: global average pool of the last conv. */
  hidden?: number;
  /** Absent: SiLU. */
  activation?: 'silu' | 'relu';
}

/** The first design, which classifier-mnist and classifier-emoji still use. */
const CLASSIFIER_WIDTHS = [16, 32, 32, 64];

type Arch = Omit<ClassifierConfig, 'channels' | 'height' | 'width' | 'classes'>;

/**
 * Named designs for `--classifier-arch`. `small` is the first one (64 pooled features, 84% on
 * Fashion-MNIST); `wide` keeps the layout (where a feature sits in the image) through a flatten
 * and a 128-wide hidden layer, which a pooled design lost on garments that differ in shape only.
 */
const CLASSIFIER_ARCHS = {
  small: { widths: CLASSIFIER_WIDTHS },
  wide: { widths: [32, 32, 64, 64], strides: [1, 2, 1, 2], activation: 'relu', hidden: 128 },
} as const satisfies Record<string, Arch>;
export type ClassifierArch = keyof typeof CLASSIFIER_ARCHS;
export const CLASSIFIER_ARCH_NAMES = Object.keys(CLASSIFIER_ARCHS) as ClassifierArch[];

/** The full config of a named design for images of this size and class count. */
export function classifierConfigFor(
  arch: ClassifierArch,
  image: { channels: number; height: number; width: number; classes: number },
): ClassifierConfig {
  const a: Arch = CLASSIFIER_ARCHS[arch];
  return {
    ...image,
    ...a,
    widths: [...a.widths],
    ...(a.strides && { strides: [...a.strides] }),
  };
}

/** Input and outputs of the exported classifier. */
export const CLS_IO = { x: 'x', features: 'features', logits: 'logits' } as const;

export const featureDimOf = (cfg: ClassifierConfig): number => cfg.hidden ?? cfg.widths.at(-1)!;

const strideOf = (cfg: ClassifierConfig, i: number) => cfg.strides?.[i] ?? (i % 2 === 1 ? 2 : 1);

/** Checks the config before a graph is built, so a bad one names the field instead of a shape. */
function checkClassifierConfig(cfg: ClassifierConfig): void {
  if (cfg.widths.length === 0) throw new Error('classifier: widths is empty');
  if (cfg.strides && cfg.strides.length !== cfg.widths.length)
    throw new Error(
      `classifier: ${cfg.strides.length} strides for ${cfg.widths.length} convs (one each)`,
    );
  if (cfg.groups !== undefined) {
    const bad = cfg.widths.find((w) => w % cfg.groups! !== 0);
    if (bad !== undefined)
      throw new Error(`classifier: width ${bad} is not divisible into ${cfg.groups} groups`);
  }
}

function activate(cfg: ClassifierConfig, x: Tensor): Tensor {
  return cfg.activation === 'relu' ? op.relu(x) : op.silu(x);
}

function convLayer(p: Params, cfg: ClassifierConfig, x: Tensor, cout: number, stride: number) {
  const cin = x.shape[1]!;
  const w = p.param('w', [cout, cin, 3, 3], kaiming(cin * 9, Math.SQRT2));
  const b = p.param('b', [cout], { kind: 'zeros' });
  let h = op.conv2d(x, w, b, { stride, pad: 1 });
  if (cfg.groups !== undefined) {
    const gamma = p.param('gn.g', [cout], { kind: 'ones' });
    h = op.groupNorm(h, gamma, p.param('gn.b', [cout], { kind: 'zeros' }), cfg.groups);
  }
  return activate(cfg, h);
}

/** 3x3 convs, then the features (penultimate layer), then linear logits. */
function classifier(
  p: Params,
  cfg: ClassifierConfig,
  x: Tensor,
): { features: Tensor; logits: Tensor } {
  checkClassifierConfig(cfg);
  const [n] = x.shape as [number];
  let h = x;
  cfg.widths.forEach((c, i) => (h = convLayer(p.scope(`conv${i}`), cfg, h, c, strideOf(cfg, i))));
  let features: Tensor;
  if (cfg.hidden === undefined) {
    features = op.reshape(op.globalAvgPool(h), [n, cfg.widths.at(-1)!]);
  } else {
    const flat = op.flatten(h);
    const fanIn = flat.shape[1]!;
    const w = p.param('hidden.w', [cfg.hidden, fanIn], kaiming(fanIn, Math.SQRT2));
    const b = p.param('hidden.b', [cfg.hidden], { kind: 'zeros' });
    features = activate(cfg, op.linear(flat, w, b));
  }
  const f = featureDimOf(cfg);
  const w = p.param('fc.w', [cfg.classes, f], kaiming(f));
  const logits = op.linear(features, w, p.param('fc.b', [cfg.classes], { kind: 'zeros' }));
  return { features, logits };
}

/** Softmax cross-entropy of logits [B, K] against one-hot targets [B, K], averaged over the batch. */
export function crossEntropy(logits: Tensor, onehot: Tensor): Tensor {
  // Shifting by the (gradient-free) row maximum keeps exp <= 1; the loss does not change. A mean
  // shift is not enough: once the net is confident the spread of a row passes 88 and exp
  // overflows float32 (an 8,000-step Fashion-MNIST run hit an infinite loss at step 6,755).
  const k = logits.shape[1]!;
  const columns = op.split(
    logits,
    Array.from({ length: k }, () => 1),
    1,
  );
  const rowMax = columns.reduce((a, c) => op.maximum(a, c));
  const z = op.sub(logits, op.stopGradient(rowMax));
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
