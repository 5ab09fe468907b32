import { readFile, stat } from 'node:fs/promises';
import { MANIFEST_LIMITS } from '../../runtime';
import {
  alphasCumprod,
  betasOf,
  betasProblem,
  discreteSigmas,
  type BetaSchedule,
  type BetaScheduleName,
} from './schedule';
import { parseSchedulerConfig, type Prediction } from './scheduler-config';

/** A refusal of the import's flags or files; the message starts with the flag it is about. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** The flags that describe the noise and the parameterisation, as the CLI parsed them. */
export interface NoiseFlags {
  readonly schedulerConfig?: string;
  readonly betaSchedule?: BetaScheduleName;
  readonly betaStart?: number;
  readonly betaEnd?: number;
  readonly numTrainTimesteps?: number;
  readonly prediction?: Prediction;
  readonly sigmaData?: number;
  readonly sigmaMin?: number;
  readonly sigmaMax?: number;
  readonly valueRange?: readonly [number, number];
}

/** The noise side of an import, in the network's own value range unless it says otherwise. */
export interface NoisePlan {
  readonly prediction: Prediction;
  /** Null for edm (no discrete schedule). */
  readonly schedule: BetaSchedule | null;
  /** The trained timesteps' sigmas, increasing; null for edm. */
  readonly sigmas: readonly number[] | null;
  readonly valueRange: readonly [number, number];
  /** sigma_data in the network's range. */
  readonly sigmaData: number;
  /** The sampling range in our [-1, 1] units: the schedule's ends (or edm's flags) / half-range. */
  readonly sigmaMin: number;
  readonly sigmaMax: number;
}

/** EDM's own defaults for its sampling range and data scale (Karras et al. 2022). */
const EDM_DEFAULTS = { sigmaMin: 0.002, sigmaMax: 80, sigmaData: 0.5 } as const;
/** The VP models' data scale for AFS when --sigma-data is not given: images in [-1, 1]. */
const VP_SIGMA_DATA = 0.5;
/** A scheduler config is a few kB; anything larger is not one. */
const MAX_CONFIG_BYTES = 1 << 20;

const SCHEDULE_FLAGS = ['betaSchedule', 'betaStart', 'betaEnd', 'numTrainTimesteps'] as const;
const FLAG_NAMES: Record<(typeof SCHEDULE_FLAGS)[number], string> = {
  betaSchedule: '--beta-schedule',
  betaStart: '--beta-start',
  betaEnd: '--beta-end',
  numTrainTimesteps: '--num-train-timesteps',
};

async function readConfig(path: string): Promise<string> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new ImportError(`--scheduler-config ${path}: no such file`);
  if (!s.isFile()) throw new ImportError(`--scheduler-config ${path}: not a regular file`);
  if (s.size > MAX_CONFIG_BYTES)
    throw new ImportError(`--scheduler-config ${path}: ${s.size} bytes is too large for a config`);
  return readFile(path, 'utf8');
}

/** The discrete schedule and the prediction from a config file or the schedule flags. */
async function discretePlan(
  f: NoiseFlags,
): Promise<{ schedule: BetaSchedule; prediction: Prediction }> {
  const given = SCHEDULE_FLAGS.filter((k) => f[k] !== undefined);
  if (f.schedulerConfig !== undefined) {
    if (given.length > 0) {
      throw new ImportError(
        `${FLAG_NAMES[given[0]!]}: give either --scheduler-config or the schedule flags, not both`,
      );
    }
    let config;
    try {
      config = parseSchedulerConfig(await readConfig(f.schedulerConfig));
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(`--scheduler-config ${f.schedulerConfig}: ${(e as Error).message}`);
    }
    if (f.prediction && config.prediction && f.prediction !== config.prediction) {
      throw new ImportError(
        `--prediction ${f.prediction}: the scheduler config says prediction_type "${config.prediction}"`,
      );
    }
    return {
      schedule: config.schedule,
      prediction: f.prediction ?? config.prediction ?? 'epsilon',
    };
  }
  if (f.betaSchedule === undefined) {
    throw new ImportError(
      `--scheduler-config or --beta-schedule: a ${f.prediction ?? 'epsilon'} model needs its training schedule`,
    );
  }
  for (const key of ['betaStart', 'betaEnd'] as const) {
    const v = f[key];
    if (v !== undefined && !(v > 0 && v < 1))
      throw new ImportError(`${FLAG_NAMES[key]} ${v}: a beta must be in (0, 1)`);
  }
  return {
    schedule: {
      type: f.betaSchedule,
      betaStart: f.betaStart ?? 0.0001,
      betaEnd: f.betaEnd ?? 0.02,
      numTrainTimesteps: f.numTrainTimesteps ?? 1000,
    },
    prediction: f.prediction ?? 'epsilon',
  };
}

/** Resolves the noise flags into a plan, refusing contradictions by flag name. */
export async function noisePlan(f: NoiseFlags): Promise<NoisePlan> {
  const valueRange = f.valueRange ?? [-1, 1];
  const half = (valueRange[1] - valueRange[0]) / 2;
  if (!(half > 0) || !valueRange.every(Number.isFinite))
    throw new ImportError(`--value-range ${valueRange.join(',')}: needs LO,HI with LO < HI`);
  const inUnits = (flag: string, v: number, max: number) => {
    if (!(v / half <= max)) {
      throw new ImportError(
        `${flag} ${v}: is ${v / half} in [-1, 1] units, above the manifest's limit of ${max}`,
      );
    }
    return v / half;
  };
  if (f.prediction === 'edm') {
    const given = SCHEDULE_FLAGS.find((k) => f[k] !== undefined);
    if (given || f.schedulerConfig !== undefined) {
      throw new ImportError(
        `${given ? FLAG_NAMES[given] : '--scheduler-config'}: an edm model has no discrete schedule (give --sigma-min/--sigma-max)`,
      );
    }
    const sigmaMin = f.sigmaMin ?? EDM_DEFAULTS.sigmaMin;
    const sigmaMax = f.sigmaMax ?? EDM_DEFAULTS.sigmaMax;
    if (!(sigmaMin < sigmaMax))
      throw new ImportError(`--sigma-min ${sigmaMin}: must be below --sigma-max ${sigmaMax}`);
    const sigmaData = f.sigmaData ?? EDM_DEFAULTS.sigmaData;
    inUnits('--sigma-data', sigmaData, MANIFEST_LIMITS.sigmaData);
    return {
      prediction: 'edm',
      schedule: null,
      sigmas: null,
      valueRange,
      sigmaData,
      sigmaMin: sigmaMin / half,
      sigmaMax: inUnits('--sigma-max', sigmaMax, MANIFEST_LIMITS.sigma),
    };
  }
  if (f.sigmaMin !== undefined || f.sigmaMax !== undefined) {
    throw new ImportError(
      `${f.sigmaMin !== undefined ? '--sigma-min' : '--sigma-max'}: only for --prediction edm; a discrete schedule sets the sampling range`,
    );
  }
  const { schedule, prediction } = await discretePlan(f);
  const betas = betasOf(schedule);
  const problem = betasProblem(betas);
  if (problem) {
    const flag = f.schedulerConfig
      ? `--scheduler-config ${f.schedulerConfig}`
      : `--beta-schedule ${f.betaSchedule}`;
    throw new ImportError(`${flag}: ${problem}`);
  }
  const sigmas = discreteSigmas(alphasCumprod(betas));
  const sigmaData = f.sigmaData ?? VP_SIGMA_DATA * half;
  inUnits('--sigma-data', sigmaData, MANIFEST_LIMITS.sigmaData);
  const sigmaMax = sigmas.at(-1)!;
  if (!(sigmaMax / half <= MANIFEST_LIMITS.sigma)) {
    throw new ImportError(
      `${f.schedulerConfig ? '--scheduler-config' : '--beta-schedule'}: the last timestep's sigma ${sigmaMax.toExponential(3)} exceeds the manifest's limit of ${MANIFEST_LIMITS.sigma}`,
    );
  }
  return {
    prediction,
    schedule,
    sigmas,
    valueRange,
    sigmaData,
    sigmaMin: sigmas[0]! / half,
    sigmaMax: sigmaMax / half,
  };
}
