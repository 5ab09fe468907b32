// The avatars dataset rendered in the browser: DiceBear's SVGs (the Node trainer's seeds and
// options, from avatar-svg.ts) rasterised by resvg's wasm build, the same resvg version as Node's
// resvg-js, so a browser avatar has exactly Node's pixels. The train worker imports this module
// dynamically: DiceBear and resvg load only when an avatars run starts.
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import wasmUrl from '@resvg/resvg-wasm/index_bg.wasm?url';
import versions from 'virtual:package-versions';
import {
  AVATAR_SIZE,
  avatarDataset,
  avatarSvg,
  packageList,
  rgbOfRgba,
} from '../../../train/data/avatar-svg';
import type { ImageDataset } from '../../../train/data/types';
import { BROWSER_AVATAR_PACKAGES } from './avatar-packages';

let ready: Promise<void> | null = null;

/** One avatar's RGBA pixels at 32x32, as Node's resvg-js renders it. */
function render(set: 'default', seed: number): Uint8Array {
  const resvg = new Resvg(avatarSvg(set, seed), { fitTo: { mode: 'width', value: AVATAR_SIZE } });
  try {
    const image = resvg.render();
    try {
      return rgbOfRgba(image.pixels);
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/**
 * The `avatars` dataset of `limit` images: what `loadAvatars('default', { limit })` gives in Node
 * (same seeds, same pixels), with resvg-wasm named in the card in place of resvg-js.
 */
export async function browserAvatars(limit: number): Promise<ImageDataset> {
  ready ??= initWasm(fetch(wasmUrl));
  await ready;
  const list = packageList(BROWSER_AVATAR_PACKAGES.map((p) => [p, versions[p] ?? 'unknown']));
  return avatarDataset('default', limit, (seed) => render('default', seed), list);
}
