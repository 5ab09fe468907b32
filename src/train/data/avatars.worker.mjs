// Renders a range of avatars for avatars.ts in a worker thread, so the cores share the work.
// Plain JavaScript: a worker thread does not inherit the tsx loader of the process that starts it,
// so the shared SVG code (avatar-svg.ts, which the browser trainer uses too) comes in via tsImport.
import { parentPort, workerData } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';
import { tsImport } from 'tsx/esm/api';

/** @type {typeof import('./avatar-svg.ts')} */
const { AVATAR_SIZE, avatarSvg, rgbOfRgba } = await tsImport('./avatar-svg.ts', import.meta.url);
/** @type {{ set: import('./avatar-svg.ts').AvatarSet, from: number, to: number }} */
const { set, from, to } = workerData;

const per = AVATAR_SIZE * AVATAR_SIZE * 3;
const out = new Uint8Array((to - from) * per);
for (let i = from; i < to; i++) {
  const svg = avatarSvg(set, i);
  const rgba = new Resvg(svg, { fitTo: { mode: 'width', value: AVATAR_SIZE } }).render().pixels;
  out.set(rgbOfRgba(rgba), (i - from) * per);
}
parentPort?.postMessage(out, [out.buffer]);
