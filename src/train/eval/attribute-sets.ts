import { AVATAR_ATTRIBUTES } from '../data/avatars';
import type { BinaryAttribute } from './attributes';

/**
 * The binary attributes a labelled set's class index combines, for per-attribute accuracy:
 * avatar-attributes' class c has attribute k's value at bit k (see attributeClass).
 */
export function attributesOf(dataset: string): BinaryAttribute[] {
  if (dataset !== 'avatar-attributes') return [];
  return AVATAR_ATTRIBUTES.map((a, bit) => ({ name: a.name, bit, values: a.values }));
}
