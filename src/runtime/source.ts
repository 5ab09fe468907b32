import { z } from 'zod';

/**
 * Where a model's denoiser came from when it was not trained here: `npm run import` wraps an
 * external network into our D(x; sigma) contract, and this block records how, so the folder says
 * what it is and a reader can redo the conversion (docs/math.md §9). Manifests without it (every
 * model this project trains) stay valid.
 */
const PARAMETERISATIONS = ['epsilon', 'v_prediction', 'sample', 'edm'] as const;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const discreteScheduleSchema = z.object({
  /** diffusers' beta_schedule, or "trained" for an explicit list of betas. */
  betaSchedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2', 'trained']),
  betaStart: finite.nullable(),
  betaEnd: finite.nullable(),
  numTrainTimesteps: z.number().int().min(2),
});

const parameterisationSchema = z.object({
  /** What the external network predicts: the noise, v, the clean image, or EDM's F. */
  prediction: z.enum(PARAMETERISATIONS),
  /** The discrete VP schedule its timesteps index; null for edm (continuous sigma). */
  schedule: discreteScheduleSchema.nullable(),
  /**
   * How sigma reaches the network: `nearest` rounds to a trained timestep (an int64 input),
   * `interpolated` gives a fractional one (a float input), `edm` is c_noise = ln(sigma) / 4.
   */
  timestep: z.enum(['nearest', 'interpolated', 'edm']),
  /** The network's own input and output names. */
  inputs: z.object({ sample: z.string().min(1), timestep: z.string().min(1) }),
  output: z.string().min(1),
  /** The pixel range the network works in; the wrapper maps it to and from [-1, 1]. */
  valueRange: z.tuple([finite, finite]),
  /** sigma_data in the network's own range (edm's preconditioning; AFS's Gaussian otherwise). */
  sigmaData: finite,
});

export const modelSourceSchema = z.object({
  kind: z.literal('import'),
  /** The external ONNX file as it was imported. */
  onnx: z.object({
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
  }),
  parameterisation: parameterisationSchema,
});

export type Parameterisation = z.infer<typeof parameterisationSchema>;
export type ModelSource = z.infer<typeof modelSourceSchema>;
