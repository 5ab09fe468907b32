import { z } from 'zod';
import { modelSourceSchema } from './source';

/**
 * The one definition of a model folder's `manifest.json`. The exporter writes it, the node and web
 * runtimes validate against it; nothing else describes the format.
 */
export const MODEL_FORMAT = 'qac-playground-model';
export const MODEL_FORMAT_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 (64 characters)');

const modelFileSchema = z.object({
  /** A plain file name inside the manifest's folder (no folders, so a manifest cannot point elsewhere). */
  path: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'a plain file name in the model folder'),
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative(),
});

/**
 * Bounds that keep every derived number finite in float32: x_T = sigmaMax * noise and the
 * preconditioning's sigma^2 + sigmaData^2 must not overflow (sigmaMax 1e38 made x_T Infinity),
 * and an image must fit in memory in the browser.
 */
export const MANIFEST_LIMITS = { sigma: 1e6, sigmaData: 1e3, imageSide: 1024 } as const;

const sigmaSchema = (max: number) =>
  z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((v) => v > 0, 'must be greater than 0')
    .refine((v) => v <= max, `must be at most ${max} (larger values overflow float32)`);

const sideSchema = z.number().int().positive().max(MANIFEST_LIMITS.imageSide);

const imageSpecSchema = z.object({
  /** Image channels: 1 (grayscale) or 3 (RGB) in the shipped models, at most 4 (RGBA). */
  channels: z.number().int().positive().max(4),
  height: sideSchema,
  width: sideSchema,
  /** Pixel range the model works in; always [-1, 1]. */
  valueRange: z.tuple([z.literal(-1), z.literal(1)]),
});

const codeSpecSchema = z.object({
  /** d: number of quantized channels the encoder outputs and the denoiser's `code` input takes. */
  bits: z.number().int().positive().max(30),
  /** L: quantizer levels per channel (2 = binary code). */
  levels: z.number().int().min(2),
  /** How a code index maps to channels, e.g. "index = sum_i q_i * L^i (channel 0 least significant)". */
  bitOrder: z.string().min(1),
});

const solverResultSchema = z.object({
  solver: z.string().min(1),
  nfe: z.number().int().positive(),
  afs: z.boolean().optional(),
  /** FID computed on the features of the dataset's small classifier (lower is better). */
  fidProxy: z.number().nullable(),
  /** Mean trajectory curvature (docs/math.md §7). */
  curvature: z.number().nullable().optional(),
});

const evaluationSchema = z.object({
  /** Number of generated images per setting. */
  samples: z.number().int().positive(),
  /** Name of the classifier whose features define the FID proxy. */
  classifier: z.string().optional(),
  seed: z.number().int().optional(),
  results: z.array(solverResultSchema),
  /**
   * The same features' FID proxy of `samples` training images against the held-out split: the
   * lowest a set of that size can score, so results read as multiples of it.
   */
  floor: z.number().nonnegative().optional(),
});

export const manifestSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.number().int().positive(),
    name: z.string().min(1),
    dataset: z.string().min(1),
    kind: z.enum(['qac', 'baseline']),
    image: imageSpecSchema,
    sigmaData: sigmaSchema(MANIFEST_LIMITS.sigmaData),
    sigmaMin: sigmaSchema(MANIFEST_LIMITS.sigma),
    sigmaMax: sigmaSchema(MANIFEST_LIMITS.sigma),
    /** Present for kind "qac", absent or null for "baseline". */
    code: codeSpecSchema.nullable().optional(),
    files: z.object({
      denoiser: modelFileSchema,
      encoder: modelFileSchema.optional(),
      weights: modelFileSchema.optional(),
      card: modelFileSchema,
    }),
    parameters: z.object({
      denoiser: z.number().int().nonnegative(),
      encoder: z.number().int().nonnegative().optional(),
    }),
    training: z.object({
      config: z.record(z.string(), z.unknown()),
      steps: z.number().int().nonnegative(),
      wallTimeSeconds: z.number().nonnegative(),
    }),
    evaluation: evaluationSchema.nullable().optional(),
    /** Free text crediting the dataset's artwork (e.g. emoji licences), copied into the card. */
    credits: z.string().optional(),
    /** Set for a denoiser made by `npm run import` from an external network (source.ts). */
    source: modelSourceSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.sigmaMin >= m.sigmaMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['sigmaMin'],
        message: `must be below sigmaMax (got sigmaMin ${m.sigmaMin}, sigmaMax ${m.sigmaMax})`,
      });
    }
    // Code indices are u32 in weights.bin and the app enumerates the codebook by index.
    if (m.code && m.code.levels ** m.code.bits > 2 ** 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: `levels^bits = ${m.code.levels}^${m.code.bits} codes exceed 2^32`,
      });
    }
    if (m.kind === 'qac') {
      if (!m.code)
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'required for kind "qac"' });
      if (!m.files.encoder) {
        ctx.addIssue({
          code: 'custom',
          path: ['files', 'encoder'],
          message: 'required for kind "qac"',
        });
      }
      if (!m.files.weights) {
        ctx.addIssue({
          code: 'custom',
          path: ['files', 'weights'],
          message: 'required for kind "qac"',
        });
      }
    } else if (m.code) {
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: 'must be absent for kind "baseline"',
      });
    }
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ModelFile = z.infer<typeof modelFileSchema>;
export type Evaluation = z.infer<typeof evaluationSchema>;
export type SolverResult = z.infer<typeof solverResultSchema>;

/** The bit order every exporter of this version writes (docs/math.md §2). */
export const CODE_BIT_ORDER =
  'index = sum_i q_i * L^i, channel i = code[:, i], channel 0 least significant';
