import { Graph, op, Params, type ParamValues, type Tensor } from '../../graph';
import { checkModelConfig, type ModelConfig, type Mode } from './config';
import { encoder, quantize } from './encoder';
import { precond } from './precond';
import { codeEmbedding, noiseEmbedding, unet } from './unet';

/** Parameter name prefixes: what belongs to the denoiser and what to the encoder. */
const DENOISER_SCOPE = 'den';
export const ENCODER_SCOPE = 'enc';

/**
 * D(x; sigma, code) = c_skip x + c_out F(c_in x, c_noise, code) (docs/math.md §1). `code` is
 * [B, d] in [-1, 1], or null for the baseline, whose network has no condition path at all.
 */
function denoiser(
  p: Params,
  cfg: ModelConfig,
  x: Tensor,
  sigma: Tensor,
  code: Tensor | null,
): Tensor {
  const pre = precond(sigma);
  let emb = noiseEmbedding(p.scope('noise'), cfg, pre.cNoise);
  if (code) emb = op.add(emb, codeEmbedding(p.scope('cond'), cfg, code));
  const f = unet(p.scope('unet'), cfg, op.mul(x, pre.cIn), emb);
  return op.add(op.mul(x, pre.cSkip), op.mul(f, pre.cOut));
}

/** Names and inputs of the training step graph. */
export const FEED = { images: 'x0', noise: 'noise', sigma: 'sigma' } as const;

export interface TrainGraph {
  graph: Graph;
  params: Params;
  loss: Tensor;
  /** Quantized code levels [B, d] of the batch (QAC only), for the sampling-weight counts. */
  codeLevels: Tensor | null;
}

/**
 * The training loss of Algorithm 1 over a fed batch: x = x0 + sigma n, the encoder's code by
 * straight-through quantization (QAC), and the lambda-weighted EDM loss, averaged over pixels.
 */
export function trainGraph(cfg: ModelConfig, mode: Mode, batch: number): TrainGraph {
  checkModelConfig(cfg);
  const g = new Graph();
  const p = Params.create(g);
  const shape = [batch, cfg.channels, cfg.height, cfg.width];
  const x0 = g.input(FEED.images, shape);
  const n = g.input(FEED.noise, shape);
  const sigma = g.input(FEED.sigma, [batch]);
  let code: Tensor | null = null;
  let codeLevels: Tensor | null = null;
  if (mode === 'qac') {
    const q = quantize(encoder(p.scope(ENCODER_SCOPE), cfg, x0), cfg.levels);
    code = q.ste;
    codeLevels = q.levels;
  }
  const pre = precond(sigma);
  const d = denoiser(p.scope(DENOISER_SCOPE), cfg, op.add(x0, op.mul(n, pre.sigma4)), sigma, code);
  const loss = op.mean(op.mul(pre.weight, op.square(op.sub(d, x0))));
  return { graph: g, params: p, loss, codeLevels };
}

/** The inference graphs' inputs and outputs (the runtime's ONNX contract). */
export const IO = { x: 'x', sigma: 'sigma', code: 'code', denoised: 'denoised' } as const;

export interface InferenceGraph {
  graph: Graph;
  params: Params;
  output: Tensor;
}

/**
 * What both exported networks start from: a graph, its parameters (initializers with `values`,
 * graph inputs without) and the image input x.
 */
function imageGraph(cfg: ModelConfig, batch: number, values?: ParamValues) {
  checkModelConfig(cfg);
  const g = new Graph();
  const root = Params.create(g, values ? { kind: 'export', values } : { kind: 'train' });
  const x = g.input(IO.x, [batch, cfg.channels, cfg.height, cfg.width]);
  return { g, root, x };
}

/**
 * The exported denoiser: inputs x, sigma and (QAC) code, output D. With `values` the parameters
 * are initializers (export); without, they stay graph inputs (the training graph's forward, for
 * the parity check). Both come from the same `denoiser` function the training step uses.
 */
export function denoiserGraph(
  cfg: ModelConfig,
  mode: Mode,
  batch: number,
  values?: ParamValues,
): InferenceGraph {
  const { g, root, x } = imageGraph(cfg, batch, values);
  const sigma = g.input(IO.sigma, [batch]);
  const code = mode === 'qac' ? g.input(IO.code, [batch, cfg.bits]) : null;
  const output = denoiser(root.scope(DENOISER_SCOPE), cfg, x, sigma, code);
  return { graph: g, params: root, output };
}

/** The exported encoder: clean image x -> code [B, d] in [-1, 1]. */
export function encoderGraph(
  cfg: ModelConfig,
  batch: number,
  values?: ParamValues,
): InferenceGraph {
  const { g, root, x } = imageGraph(cfg, batch, values);
  const output = quantize(encoder(root.scope(ENCODER_SCOPE), cfg, x), cfg.levels).signed;
  return { graph: g, params: root, output };
}

/** Parameter counts of both networks, from a built training graph. */
export function parameterCounts(p: Params): { denoiser: number; encoder: number } {
  let den = 0;
  let enc = 0;
  for (const s of p.specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (s.name.startsWith(`${ENCODER_SCOPE}.`)) enc += size;
    else den += size;
  }
  return { denoiser: den, encoder: enc };
}
