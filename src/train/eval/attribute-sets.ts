import { LABELLED_SETS } from '../data/avatars';
import type { BinaryAttribute } from './attributes';

/**
 * The binary attributes a labelled set's class index combines, for per-attribute accuracy and
 * shares: class c of avatar-attributes or avatar-styles has attribute k's value at bit k.
 */
export function attributesOf(dataset: string): BinaryAttribute[] {
  const set = Object.values(LABELLED_SETS).find((s) => s.dataset === dataset);
  return (set?.attributes ?? []).map((a, bit) => ({ name: a.name, bit, values: a.values }));
}
