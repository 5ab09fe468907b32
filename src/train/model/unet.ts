import { op, type Params, type Tensor } from '../../graph';
import type { ModelConfig } from './config';
import { conv, dense, norm, resBlock } from './layers';

/**
 * Noise-level embedding: Fourier features of c_noise [B] at geometrically spaced frequencies
 * (1 to 64 cycles over c_noise's unit range), then Linear-SiLU-Linear to the embedding width.
 */
export function noiseEmbedding(p: Params, cfg: ModelConfig, cNoise: Tensor): Tensor {
  const g = cNoise.graph;
  const [n] = cNoise.shape as [number];
  const f = cfg.fourier;
  const freqs = Array.from({ length: f }, (_, i) => 2 * Math.PI * 64 ** (f > 1 ? i / (f - 1) : 0));
  const phase = op.mul(op.reshape(cNoise, [n, 1]), g.constant(freqs, [1, f]));
  const feats = op.concat([op.sin(phase), op.cos(phase)], 1);
  const width = cfg.base * cfg.embMult;
  return dense(p.scope('map1'), op.silu(dense(p.scope('map0'), feats, width)), width);
}

/** The condition path: code bits [B, d] -> Linear -> SiLU -> Linear, at the embedding width. */
export function codeEmbedding(p: Params, cfg: ModelConfig, code: Tensor): Tensor {
  const width = cfg.base * cfg.embMult;
  return dense(p.scope('map1'), op.silu(dense(p.scope('map0'), code, width)), width);
}

/**
 * The U-Net F(c_in x, emb): a down path of `blocks` residual blocks per level with stride-2
 * convs between levels, two middle blocks, and an up path of `blocks + 1` blocks per level, each
 * fed one skip from the down path (concatenated), with nearest-neighbour upsampling between.
 */
export function unet(p: Params, cfg: ModelConfig, x: Tensor, emb: Tensor): Tensor {
  const e = op.silu(emb);
  const widths = cfg.mults.map((m) => cfg.base * m);
  let h = conv(p.scope('in'), x, widths[0]!);
  const skips: Tensor[] = [h];
  widths.forEach((c, level) => {
    for (let b = 0; b < cfg.blocks; b++) {
      h = resBlock(p.scope(`down${level}.b${b}`), h, c, e);
      skips.push(h);
    }
    if (level < widths.length - 1) {
      h = conv(p.scope(`down${level}.half`), h, c, { stride: 2 });
      skips.push(h);
    }
  });
  const last = widths[widths.length - 1]!;
  h = resBlock(p.scope('mid0'), h, last, e);
  h = resBlock(p.scope('mid1'), h, last, e);
  for (let level = widths.length - 1; level >= 0; level--) {
    for (let b = 0; b <= cfg.blocks; b++) {
      h = resBlock(p.scope(`up${level}.b${b}`), op.concat([h, skips.pop()!], 1), widths[level]!, e);
    }
    if (level > 0) h = op.upsample2x(h);
  }
  return conv(p.scope('out'), op.silu(norm(p.scope('out.norm'), h)), cfg.channels, { zero: true });
}
