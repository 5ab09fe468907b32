import { join } from 'node:path';

/** The pair's own FID-proxy feature net: models/classifier-DATASET. */
export const classifierDir = (root: string, dataset: string) => join(root, `classifier-${dataset}`);

/**
 * Feature nets that score a dataset's pairs beside its own. `classifier-avatars` is trained on the
 * four attributes that the avatars codes pick up, so its FID proxy mostly weighs the attribute
 * mix, which favours QAC; `classifier-avatar-styles` is trained on four other options (hair
 * length, beard, clothing palette, earrings), so a difference that shows on both is not that mix.
 */
const SECOND_YARDSTICKS: Readonly<Record<string, readonly string[]>> = {
  avatars: ['classifier-avatar-styles'],
};

export const secondYardsticks = (dataset: string): readonly string[] =>
  SECOND_YARDSTICKS[dataset] ?? [];
