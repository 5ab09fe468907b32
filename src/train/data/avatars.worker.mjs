// Renders a range of avatars for avatars.ts in a worker thread, so the cores share the work.
// Plain JavaScript: a worker thread does not inherit the tsx loader of the process that starts it.
import { parentPort, workerData } from 'node:worker_threads';
import { createAvatar } from '@dicebear/core';
import { pixelArt } from '@dicebear/collection';
import { Resvg } from '@resvg/resvg-js';

const SIZE = 32;
/** @type {{ set: 'default' | 'attributes', from: number, to: number }} */
const { set, from, to } = workerData;

const { schema } = pixelArt;
/** @type {string[]} */
const mouths = schema.properties.mouth.default;
/** @type {string[]} */
const skins = schema.properties.skinColor.default;
// Hair colours a viewer calls dark or light; the in-between brown (83623b) is left out of both.
const DARK_HAIR = ['28150a', '603015', '612616', '611c17', '603a14'];
const LIGHT_HAIR = ['cab188', 'a78961', '91cb15', '009bbd'];

/** Fixed values for attribute image i: bit k of i picks attribute k (see AVATAR_ATTRIBUTES). */
/** @param {number} i */
function attributeOptions(i) {
  /** @param {number} k */
  const bit = (k) => (i >> k) & 1;
  return {
    glassesProbability: bit(0) ? 100 : 0,
    mouth: mouths.filter((m) => m.startsWith(bit(1) ? 'happy' : 'sad')),
    skinColor: bit(2) ? skins.slice(4) : skins.slice(0, 4),
    hairColor: bit(3) ? LIGHT_HAIR : DARK_HAIR,
    // A hat would hide the hair colour the label names.
    hatProbability: 0,
  };
}

const out = new Uint8Array((to - from) * SIZE * SIZE * 3);
for (let i = from; i < to; i++) {
  const svg = createAvatar(pixelArt, {
    seed: `${set}-${i}`,
    backgroundColor: ['ffffff'],
    ...(set === 'attributes' ? attributeOptions(i) : {}),
  }).toString();
  const rgba = new Resvg(svg, { fitTo: { mode: 'width', value: SIZE } }).render().pixels;
  const o = (i - from) * SIZE * SIZE * 3;
  for (let p = 0; p < SIZE * SIZE; p++) {
    for (let k = 0; k < 3; k++) out[o + p * 3 + k] = rgba[p * 4 + k];
  }
}
parentPort?.postMessage(out, [out.buffer]);
