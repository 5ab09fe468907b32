import { z } from 'zod';
import { boundedNumber, type Notices } from '../normalize';
import { PRESET_NAMES } from '../../train/model/config';
import { dataPresets, DEFAULT_BROWSER_TRAIN, TRAIN_DATA, type BrowserTrainOptions } from './config';

/** The range of every numeric training option: the inputs and the normaliser read these. */
export const TRAIN_LIMITS = {
  steps: { min: 1, max: 100_000 },
  batch: { min: 1, max: 64 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  sampleEvery: { min: 0, max: 10_000 },
} as const;
type NumericKey = keyof typeof TRAIN_LIMITS;

/** How the page names each option in a notice. */
const NAMES: Record<keyof BrowserTrainOptions, string> = {
  data: 'training data',
  preset: 'preset',
  steps: 'training steps',
  batch: 'training batch',
  seed: 'training seed',
  sampleEvery: 'live-sample interval',
};

const choices = { data: z.enum(TRAIN_DATA), preset: z.enum(PRESET_NAMES) } as const;

/**
 * The one place training options are made valid (every write from the panel, and a saved run's
 * options read back from IndexedDB): unknown choices keep the current one, numbers clamp, and a
 * preset that does not fit the data's image shape becomes the data's own counterpart (a bigger
 * preset stays bigger). Each change is noticed.
 */
export function normalizeTrainOptions(
  raw: Partial<Record<keyof BrowserTrainOptions, unknown>>,
  base: BrowserTrainOptions = DEFAULT_BROWSER_TRAIN,
): { options: BrowserTrainOptions; notices: Notices } {
  const notices: Notices = [];
  const out: BrowserTrainOptions = { ...base };
  for (const key of ['data', 'preset'] as const) {
    if (!(key in raw)) continue;
    const parsed = choices[key].safeParse(raw[key]);
    if (parsed.success) Object.assign(out, { [key]: parsed.data });
    else notices.push(`${NAMES[key]} "${String(raw[key])}" is not one of the choices`);
  }
  for (const key of Object.keys(TRAIN_LIMITS) as NumericKey[]) {
    if (key in raw)
      out[key] = boundedNumber(NAMES[key], raw[key], TRAIN_LIMITS[key], base[key], notices);
  }
  const fits = dataPresets(out.data);
  if (!fits.includes(out.preset)) {
    // Same rank in the other shape's list: tiny <-> tiny-rgb, mnist <-> rgb32.
    const rank = Math.max(0, dataPresets(base.data).indexOf(out.preset));
    const preset = fits[Math.min(rank, fits.length - 1)]!;
    if ('preset' in raw) {
      notices.push(`preset ${out.preset} does not fit ${out.data} images; using ${preset}`);
    }
    out.preset = preset;
  }
  return { options: out, notices };
}
