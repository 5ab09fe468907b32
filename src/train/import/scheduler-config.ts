import { z } from 'zod';
import { BETA_SCHEDULES, type BetaSchedule } from './schedule';

export const PREDICTIONS = ['epsilon', 'v_prediction', 'sample', 'edm'] as const;
export type Prediction = (typeof PREDICTIONS)[number];

/**
 * The part of a diffusers `scheduler_config.json` that defines the training noise: what DDPM-,
 * DDIM- and the multistep schedulers all share. Unknown keys (`clip_sample`, `variance_type`,
 * `steps_offset`, ...) are sampler settings we replace with our own, so they are ignored.
 */
const schedulerConfigSchema = z.object({
  num_train_timesteps: z.number().int().min(2).max(100_000).default(1000),
  beta_start: z.number().positive().lt(1).default(0.0001),
  beta_end: z.number().positive().lt(1).default(0.02),
  beta_schedule: z.string().default('linear'),
  trained_betas: z.array(z.number()).nullable().optional(),
  prediction_type: z.string().optional(),
  rescale_betas_zero_snr: z.boolean().optional(),
});

export interface SchedulerConfig {
  readonly schedule: BetaSchedule;
  /** The config's `prediction_type`, when it names one. */
  readonly prediction: Prediction | null;
}

/**
 * Reads a diffusers scheduler config. Refusals name the key: a schedule this import does not
 * implement, a zero-terminal-SNR rescale (its last sigma is infinite), a prediction type other
 * than epsilon, v_prediction or sample.
 */
export function parseSchedulerConfig(text: string): SchedulerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = schedulerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const c = parsed.data;
  if (c.rescale_betas_zero_snr) {
    throw new Error(
      'rescale_betas_zero_snr: true gives the last timestep infinite noise (sigma = inf), which a D(x; sigma) cannot start from',
    );
  }
  let prediction: Prediction | null = null;
  if (c.prediction_type !== undefined) {
    if (!(['epsilon', 'v_prediction', 'sample'] as const).some((p) => p === c.prediction_type))
      throw new Error(
        `prediction_type: "${c.prediction_type}" is not one of epsilon, v_prediction, sample`,
      );
    prediction = c.prediction_type as Prediction;
  }
  if (c.trained_betas) return { schedule: { type: 'trained', betas: c.trained_betas }, prediction };
  const type = BETA_SCHEDULES.find((s) => s === c.beta_schedule);
  if (!type) {
    throw new Error(
      `beta_schedule: "${c.beta_schedule}" is not one of ${BETA_SCHEDULES.join(', ')} (or give trained_betas)`,
    );
  }
  return {
    schedule: {
      type,
      betaStart: c.beta_start,
      betaEnd: c.beta_end,
      numTrainTimesteps: c.num_train_timesteps,
    },
    prediction,
  };
}
