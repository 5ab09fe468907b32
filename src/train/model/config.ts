/** Training mode: QAC conditions the denoiser on the encoder's code, the baseline does not. */
export const MODES = ['qac', 'baseline'] as const;
export type Mode = (typeof MODES)[number];

/** Every size of the U-Net and the encoder. All JSON, so it goes into config.json and manifests. */
export interface ModelConfig {
  channels: number;
  height: number;
  width: number;
  /** Channels at the first resolution; multiplied by `mults[i]` at resolution level i. */
  base: number;
  mults: number[];
  /** Residual blocks per level on the way down (the way up has one more, as in DDPM++). */
  blocks: number;
  /** Noise-embedding width = base * embMult. */
  embMult: number;
  /** Number of Fourier frequencies of the noise embedding. */
  fourier: number;
  /** d: quantized code channels (QAC only). */
  bits: number;
  /** L: quantizer levels per channel. */
  levels: number;
  /** Encoder channels at the first level (about base / 4). */
  encoderBase: number;
  /** Encoder residual blocks per level (about half of `blocks` over all levels). */
  encoderBlocks: number;
}

const MNIST: ModelConfig = {
  channels: 1,
  height: 28,
  width: 28,
  base: 16,
  mults: [1, 2, 4],
  blocks: 1,
  embMult: 8,
  fourier: 16,
  bits: 12,
  levels: 2,
  encoderBase: 8,
  encoderBlocks: 1,
};

const TINY: ModelConfig = {
  ...MNIST,
  base: 8,
  mults: [1, 2],
  blocks: 1,
  embMult: 2,
  fourier: 4,
  bits: 4,
  encoderBase: 4,
};

/** Named presets; `--preset` picks one and flags override single fields. */
export const PRESETS = {
  /**
   * 28x28 grayscale (MNIST, Fashion-MNIST): 0.64M denoiser parameters, most of them at 7x7 where
   * they are cheap; the 28x28 level stays narrow because it dominates the cost on a CPU.
   */
  mnist: MNIST,
  /** 32x32 RGB (emoji, folders). */
  rgb32: { ...MNIST, channels: 3, height: 32, width: 32, bits: 16 },
  /** A few thousand parameters, for smoke tests and the browser trainer. */
  tiny: TINY,
  /** `tiny` on 32x32 RGB images: the browser trainer's avatars and uploads. */
  'tiny-rgb': { ...TINY, channels: 3, height: 32, width: 32 },
} as const satisfies Record<string, ModelConfig>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function presetFor(name: string): ModelConfig {
  const p = (PRESETS as Readonly<Record<string, ModelConfig>>)[name];
  if (!p)
    throw new Error(`unknown preset "${name}"; known presets: ${Object.keys(PRESETS).join(', ')}`);
  return structuredClone(p);
}

/** Group count for GroupNorm over c channels: up to 8 groups of at least 4 channels. */
export function groupsFor(c: number): number {
  for (let g = Math.min(8, Math.floor(c / 4)); g > 1; g--) if (c % g === 0) return g;
  return 1;
}

/** Refuses sizes the network cannot be built with, naming the field. */
export function checkModelConfig(c: ModelConfig): void {
  const positive = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`model config: ${what} = ${v} must be a positive integer`);
  };
  positive(c.channels, 'channels');
  positive(c.height, 'height');
  positive(c.width, 'width');
  positive(c.base, 'base');
  positive(c.blocks, 'blocks');
  positive(c.embMult, 'embMult');
  positive(c.fourier, 'fourier');
  positive(c.bits, 'bits');
  positive(c.encoderBase, 'encoderBase');
  positive(c.encoderBlocks, 'encoderBlocks');
  if (c.mults.length === 0) throw new Error('model config: mults must list at least one level');
  c.mults.forEach((m, i) => positive(m, `mults[${i}]`));
  if (!Number.isInteger(c.levels) || c.levels < 2)
    throw new Error(`model config: levels = ${c.levels} must be an integer >= 2`);
  if (c.bits * Math.log2(c.levels) > 24)
    throw new Error(
      `model config: ${c.levels}^${c.bits} codes is too many to count densely (at most 2^24)`,
    );
  const down = 2 ** (c.mults.length - 1);
  if (c.height % down !== 0 || c.width % down !== 0) {
    throw new Error(
      `model config: ${c.height}x${c.width} images cannot be halved ${c.mults.length - 1} times; use fewer mults`,
    );
  }
}
