import { op, type Params, type Tensor } from '../../graph';
import type { ModelConfig } from './config';
import { conv, dense, resBlock } from './layers';

/**
 * The condition encoder E: the U-Net's down path at `encoderBase` channels with `encoderBlocks`
 * blocks per level, global average pooling and a linear map to d real values [B, d].
 */
export function encoder(p: Params, cfg: ModelConfig, x: Tensor): Tensor {
  const [n] = x.shape as [number];
  let h = conv(p.scope('in'), x, cfg.encoderBase);
  cfg.mults.forEach((m, level) => {
    const c = cfg.encoderBase * m;
    for (let b = 0; b < cfg.encoderBlocks; b++)
      h = resBlock(p.scope(`l${level}.b${b}`), h, c, null);
    if (level < cfg.mults.length - 1) h = conv(p.scope(`l${level}.half`), h, c, { stride: 2 });
  });
  const pooled = op.reshape(op.globalAvgPool(op.silu(h)), [n, h.shape[1]!]);
  return dense(p.scope('out'), pooled, cfg.bits);
}

export interface Quantized {
  /** Levels q = min(floor(L sigmoid(y)), L - 1) as floats [B, d] (for counting code usage). */
  levels: Tensor;
  /** The code the denoiser sees: levels mapped to [-1, 1] (+-1 for L = 2). */
  signed: Tensor;
  /** Same values as `signed`, with the straight-through gradient of L sigmoid(y) (docs/math.md §2). */
  ste: Tensor;
}

/**
 * FSQ quantizer. For L = 2 the level is the test y >= 0, which is what sigmoid(y) >= 1/2 means
 * and what core's quantize() does, so graph and core agree bit for bit.
 */
export function quantize(y: Tensor, levels: number): Quantized {
  const q =
    levels === 2
      ? op.cast(op.greaterOrEqual(y, 0), 'float32')
      : op.clip(op.floor(op.mul(op.sigmoid(y), levels)), 0, levels - 1);
  const scale = 2 / (levels - 1);
  const signed = op.sub(op.mul(q, scale), 1);
  // Value of q, gradient of the bounded surrogate L sigmoid(y) - 1/2 (FSQ bounds before it
  // rounds). The paper's identity gradient keeps asking for a larger |y| even where the code
  // no longer changes; under Adam that grew the encoder weights by about lr per step until one
  // feature decided every bit (MNIST, 1500 steps: |y| ~ 1e12, 7 distinct codes in 256 images).
  const bounded = op.sub(op.mul(op.sigmoid(y), levels), 0.5);
  const ste = op.sub(op.mul(op.straightThrough(bounded, q), scale), 1);
  return { levels: q, signed, ste };
}
