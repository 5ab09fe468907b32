// The datasets, declared once for the Node trainer (index.ts's loaders, `--dataset`) and the
// browser trainer (src/app/training), which is why this module imports nothing Node-only.
import { PRESET_NAMES, PRESETS, type ModelConfig, type PresetName } from '../model/config';

type ImageShape = Pick<ModelConfig, 'channels' | 'height' | 'width'>;

const GRAY28: ImageShape = { channels: 1, height: 28, width: 28 };
const RGB32: ImageShape = { channels: 3, height: 32, width: 32 };

/**
 * Every dataset the trainer loads, with the shape of its images (emoji and folder by default:
 * `--size` and, for folder, `--channels` change it).
 */
export const DATASETS = {
  mnist: GRAY28,
  'fashion-mnist': GRAY28,
  emoji: RGB32,
  'emoji-google': RGB32,
  'emoji-twitter': RGB32,
  avatars: RGB32,
  'avatar-attributes': RGB32,
  'avatar-styles': RGB32,
  folder: RGB32,
} as const satisfies Record<string, ImageShape>;
export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
export const isDatasetName = (name: string): name is DatasetName => Object.hasOwn(DATASETS, name);

/**
 * The presets built for a dataset's images, smallest first (by the channels of the first level):
 * the last one is what `npm run train` picks when no `--preset` is given.
 */
export function presetsFor(dataset: DatasetName): PresetName[] {
  const shape = DATASETS[dataset];
  return PRESET_NAMES.filter((name) => {
    const p: ImageShape = PRESETS[name];
    return p.channels === shape.channels && p.height === shape.height && p.width === shape.width;
  }).sort((a, b) => PRESETS[a].base - PRESETS[b].base);
}
