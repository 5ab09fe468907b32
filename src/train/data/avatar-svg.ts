// The avatars datasets without a rasteriser or a file system: seed names, DiceBear options, which
// seeds a run takes, the credits line and the tensor layout. Node (avatars.ts, resvg-js in worker
// threads) and the browser trainer (src/app/training/data/avatars.ts, resvg-wasm) both build their
// datasets from here, so the two render the same SVGs and record the same card lines.
import { createAvatar } from '@dicebear/core';
import { pixelArt } from '@dicebear/collection';
import type { ImageDataset } from './types';

export const AVATAR_SIZE = 32;
export const AVATAR_COUNT = 60_000;
/** Seeds 0..53,999 train; 54,000..59,999 are the held-out split, a seed range of their own. */
const AVATAR_HELD_OUT_FROM = 54_000;

/** A binary attribute of a labelled set: value 0 or 1 of image i is bit `bit` of i. */
interface LabelledAttribute {
  name: string;
  values: readonly [string, string];
}

/**
 * The evaluator's first labelled set: each image is rendered with four attributes fixed to a chosen
 * value (everything else random, as in the training data), and its class is the combination.
 */
export const AVATAR_ATTRIBUTES = [
  { name: 'glasses', values: ['no glasses', 'glasses'] },
  { name: 'mouth', values: ['sad', 'happy'] },
  { name: 'skin', values: ['light skin', 'dark skin'] },
  { name: 'hair', values: ['dark hair', 'light hair'] },
] as const satisfies readonly LabelledAttribute[];

/**
 * The second yardstick's set: four other options of the style, none of the four above, so a net
 * trained on it is not a judge of the attribute mix the first one measures.
 */
const AVATAR_STYLES = [
  { name: 'hair length', values: ['short hair', 'long hair'] },
  { name: 'beard', values: ['no beard', 'beard'] },
  { name: 'clothing', values: ['cool clothing', 'warm clothing'] },
  { name: 'earrings', values: ['no earrings', 'earrings'] },
] as const satisfies readonly LabelledAttribute[];

/** Both labelled sets hold this many images; each has 16 balanced classes. */
export const AVATAR_ATTRIBUTE_COUNT = 20_000;

export type AvatarSet = 'default' | 'attributes' | 'styles';
export type LabelledSet = Exclude<AvatarSet, 'default'>;

type PixelArtOptions = pixelArt.Options;

// The style's own lists (its JSON schema's defaults): every option value it draws.
const defaults = (key: string) =>
  (pixelArt.schema.properties?.[key] as { default: string[] } | undefined)?.default ?? [];
const mouths = defaults('mouth') as NonNullable<PixelArtOptions['mouth']>;
const hairs = defaults('hair') as NonNullable<PixelArtOptions['hair']>;
const skins = defaults('skinColor');
// Hair colours a viewer calls dark or light; the in-between brown (83623b) is left out of both.
const DARK_HAIR = ['28150a', '603015', '612616', '611c17', '603a14'];
const LIGHT_HAIR = ['cab188', 'a78961', '91cb15', '009bbd'];
// The style's clothing palette split into blues and greens vs reds and yellows.
const COOL_CLOTHING = ['5bc0de', '428bca', '03396c', '88d8b0', '44c585', '00b159'];
const WARM_CLOTHING = ['ff6f69', 'd11141', 'ae0001', 'ffeead', 'ffd969', 'ffc425'];

/** Fixed values for image i of a labelled set: bit k of i picks attribute k's value. */
function labelledOptions(set: LabelledSet, i: number): PixelArtOptions {
  const bit = (k: number) => (i >> k) & 1;
  // A hat would hide the hair colour and length the labels name.
  if (set === 'attributes') {
    return {
      glassesProbability: bit(0) ? 100 : 0,
      mouth: mouths.filter((m) => m.startsWith(bit(1) ? 'happy' : 'sad')),
      skinColor: bit(2) ? skins.slice(4) : skins.slice(0, 4),
      hairColor: bit(3) ? LIGHT_HAIR : DARK_HAIR,
      hatProbability: 0,
    };
  }
  return {
    hair: hairs.filter((h) => h.startsWith(bit(0) ? 'long' : 'short')),
    beardProbability: bit(1) ? 100 : 0,
    clothingColor: bit(2) ? WARM_CLOTHING : COOL_CLOTHING,
    accessoriesProbability: bit(3) ? 100 : 0,
    hatProbability: 0,
  };
}

/** Each labelled set: its dataset name and the attributes its class bits stand for. */
export const LABELLED_SETS: Readonly<
  Record<LabelledSet, { dataset: string; attributes: readonly LabelledAttribute[] }>
> = {
  attributes: { dataset: 'avatar-attributes', attributes: AVATAR_ATTRIBUTES },
  styles: { dataset: 'avatar-styles', attributes: AVATAR_STYLES },
};

/** The SVG of image i of a set: seed string `${set}-${i}`, on white. */
export function avatarSvg(set: AvatarSet, i: number): string {
  return createAvatar(pixelArt, {
    seed: `${set}-${i}`,
    backgroundColor: ['ffffff'],
    ...(set === 'default' ? {} : labelledOptions(set, i)),
  }).toString();
}

/** Class of labelled image i: attribute a's value is bit a of i (so classes are balanced). */
export function attributeClass(i: number): number {
  return i % 2 ** AVATAR_ATTRIBUTES.length;
}

function classNamesOf(set: AvatarSet): string[] {
  if (set === 'default') return ['avatar'];
  const { attributes } = LABELLED_SETS[set];
  return Array.from({ length: 2 ** attributes.length }, (_, c) =>
    attributes.map((a, k) => a.values[(c >> k) & 1]).join(', '),
  );
}

const setSize = (set: AvatarSet) => (set === 'default' ? AVATAR_COUNT : AVATAR_ATTRIBUTE_COUNT);

/**
 * The seeds a dataset of `limit` images takes: the first training seeds, then the first held-out
 * ones, keeping the 9:1 train/held-out ratio (so the split stays non-empty).
 */
function avatarSeeds(set: AvatarSet, limit?: number): { seeds: number[]; heldOut: number } {
  const full = setSize(set);
  const n = Math.min(full, limit ?? full);
  const heldFrom = set === 'default' ? AVATAR_HELD_OUT_FROM : Math.round(full * 0.9);
  const heldOut = Math.max(1, Math.round((n * (full - heldFrom)) / full));
  return {
    seeds: [
      ...Array.from({ length: n - heldOut }, (_, i) => i),
      ...Array.from({ length: heldOut }, (_, i) => heldFrom + i),
    ],
    heldOut,
  };
}

/** "npm a@1, npm b@2": what a card names instead of a cache path. */
export function packageList(versions: readonly (readonly [string, string])[]): string {
  return versions.map(([name, version]) => `npm ${name}@${version}`).join(', ');
}

/** The card's credits line for avatars rendered with the listed packages. */
export function avatarCredits(versions: string): string {
  return (
    'DiceBear "Pixel Art" avatars: design by DiceBear, CC0 1.0; code by Florian Körner, MIT ' +
    `(${versions}), rendered with resvg`
  );
}

/**
 * The dataset of the images `rgb(k)` ([H, W, 3] bytes) of `avatarSeeds(set, limit)`'s seeds,
 * in that order, as float32 [N, 3, H, W] in [-1, 1].
 */
export function avatarDataset(
  set: AvatarSet,
  limit: number | undefined,
  rgb: (seed: number, k: number) => Uint8Array,
  versions: string,
): ImageDataset {
  const { seeds, heldOut } = avatarSeeds(set, limit);
  const images = new Float32Array(seeds.length * 3 * AVATAR_SIZE * AVATAR_SIZE);
  const labels = new Int32Array(seeds.length);
  seeds.forEach((seed, i) => {
    writePlanes(rgb(seed, i), images, i);
    labels[i] = set === 'default' ? 0 : attributeClass(seed);
  });
  const n = seeds.length;
  return {
    name: set === 'default' ? 'avatars' : LABELLED_SETS[set].dataset,
    channels: 3,
    height: AVATAR_SIZE,
    width: AVATAR_SIZE,
    count: n,
    images,
    labels,
    classNames: classNamesOf(set),
    source: `DiceBear pixel-art, seeds "${set}-0".."${set}-${setSize(set) - 1}" (${versions})`,
    credits: avatarCredits(versions),
    officialHeldOut: Uint32Array.from({ length: heldOut }, (_, i) => n - heldOut + i),
  };
}

/** One avatar's RGB bytes ([H, W, 3]) into image slot i of float32 planes [N, 3, H, W] in [-1, 1]. */
export function writePlanes(bytes: Uint8Array, out: Float32Array, i: number): void {
  const plane = AVATAR_SIZE * AVATAR_SIZE;
  for (let p = 0; p < plane; p++)
    for (let k = 0; k < 3; k++) out[(i * 3 + k) * plane + p] = bytes[p * 3 + k]! / 127.5 - 1;
}

/** RGBA bytes of one rendered avatar to the RGB bytes ([H, W, 3]) the datasets take. */
export function rgbOfRgba(rgba: Uint8Array): Uint8Array {
  const plane = AVATAR_SIZE * AVATAR_SIZE;
  const out = new Uint8Array(plane * 3);
  for (let p = 0; p < plane; p++) for (let k = 0; k < 3; k++) out[p * 3 + k] = rgba[p * 4 + k]!;
  return out;
}
