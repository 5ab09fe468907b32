import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultCacheDir } from './emoji';
import type { ImageDataset, LoadDatasetOptions } from './types';

/**
 * DiceBear pixel-art avatars, 32x32 RGB on white. The design is CC0 1.0 and the code MIT; both
 * packages are devDependencies, so the renderer never reaches the app's bundle.
 */
export const AVATAR_SIZE = 32;
export const AVATAR_COUNT = 60_000;
/** Seeds 0..53,999 train; 54,000..59,999 are the held-out split, a seed range of their own. */
export const AVATAR_HELD_OUT_FROM = 54_000;

/**
 * The evaluator's labelled set: each image is rendered with four attributes fixed to a chosen
 * value (everything else random, as in the training data), and its class is the combination.
 */
export const AVATAR_ATTRIBUTES = [
  { name: 'glasses', values: ['no glasses', 'glasses'] },
  { name: 'mouth', values: ['sad', 'happy'] },
  { name: 'skin', values: ['light skin', 'dark skin'] },
  { name: 'hair', values: ['dark hair', 'light hair'] },
] as const;
export const AVATAR_ATTRIBUTE_COUNT = 20_000;

const PACKAGES = ['@dicebear/core', '@dicebear/collection', '@resvg/resvg-js'] as const;

/** The installed version of a package whose `exports` hide its package.json. */
async function packageVersion(name: string): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // not this folder: keep walking up
    }
  }
  throw new Error(`avatars: cannot find the installed version of ${name}`);
}

/** "npm @dicebear/core@9.4.3, ..." : what a card names instead of a cache path. */
export async function avatarSource(): Promise<{ versions: string; credits: string }> {
  const versions = (await Promise.all(PACKAGES.map(async (p) => `${p}@${await packageVersion(p)}`)))
    .map((v) => `npm ${v}`)
    .join(', ');
  return {
    versions,
    credits:
      'DiceBear "Pixel Art" avatars: design by DiceBear, CC0 1.0; code by Florian Körner, MIT ' +
      `(${versions}), rendered with resvg`,
  };
}

export type AvatarSet = 'default' | 'attributes';

interface RenderJob {
  set: AvatarSet;
  from: number;
  to: number;
}

/** Renders [from, to) of one set in a worker thread; resolves to RGB bytes, HWC order. */
export function renderInWorker(job: RenderJob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./avatars.worker.mjs', import.meta.url), {
      workerData: job,
    });
    worker.once('message', (bytes: Uint8Array) => resolve(bytes));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`avatar renderer exited with code ${code}`));
    });
  });
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * The set's RGB bytes ([count, H, W, 3]), rendered on first use into the cache folder across
 * the machine's cores and renamed into place once whole, so an interrupted render leaves nothing.
 */
async function ensureRendered(
  set: AvatarSet,
  count: number,
  cacheDir: string,
): Promise<Uint8Array> {
  const version = await packageVersion('@dicebear/collection');
  const dir = join(cacheDir, 'avatars');
  const file = join(dir, `pixel-art-${version}-${set}-${count}x${AVATAR_SIZE}.rgb`);
  const bytesPer = AVATAR_SIZE * AVATAR_SIZE * 3;
  if (await exists(file)) {
    const bytes = new Uint8Array(await readFile(file));
    if (bytes.length === count * bytesPer) return bytes;
  }
  await mkdir(dir, { recursive: true });
  const workers = Math.max(1, Math.min(availableParallelism(), 8));
  const chunk = Math.ceil(count / workers);
  process.stderr.write(`rendering ${count} ${set} avatars into ${file} (${workers} threads)...\n`);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      renderInWorker({ set, from: w * chunk, to: Math.min(count, (w + 1) * chunk) }),
    ),
  );
  const bytes = new Uint8Array(count * bytesPer);
  parts.forEach((p, w) => bytes.set(p, w * chunk * bytesPer));
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, file);
  return bytes;
}

/** Class of attribute image i: attribute a's value is bit a of i (so classes are balanced). */
export function attributeClass(i: number): number {
  return i % 2 ** AVATAR_ATTRIBUTES.length;
}

function classNamesOf(set: AvatarSet): string[] {
  if (set === 'default') return ['avatar'];
  return Array.from({ length: 2 ** AVATAR_ATTRIBUTES.length }, (_, c) =>
    AVATAR_ATTRIBUTES.map((a, k) => a.values[(c >> k) & 1]).join(', '),
  );
}

export async function loadAvatars(
  set: AvatarSet,
  opts: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  const full = set === 'default' ? AVATAR_COUNT : AVATAR_ATTRIBUTE_COUNT;
  const bytes = await ensureRendered(set, full, opts.cacheDir ?? defaultCacheDir());
  // A limit keeps the 9:1 train/held-out ratio, so the split stays non-empty.
  const limit = Math.min(full, opts.limit ?? full);
  const heldFrom = set === 'default' ? AVATAR_HELD_OUT_FROM : Math.round(full * 0.9);
  const nHeld = Math.max(1, Math.round((limit * (full - heldFrom)) / full));
  const picked = [
    ...Array.from({ length: limit - nHeld }, (_, i) => i),
    ...Array.from({ length: nHeld }, (_, i) => heldFrom + i),
  ];
  const plane = AVATAR_SIZE * AVATAR_SIZE;
  const images = new Float32Array(picked.length * 3 * plane);
  const labels = new Int32Array(picked.length);
  picked.forEach((src, i) => {
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < 3; k++) {
        images[(i * 3 + k) * plane + p] = bytes[(src * plane + p) * 3 + k]! / 127.5 - 1;
      }
    }
    labels[i] = set === 'default' ? 0 : attributeClass(src);
  });
  const { versions, credits } = await avatarSource();
  return {
    name: set === 'default' ? 'avatars' : 'avatar-attributes',
    channels: 3,
    height: AVATAR_SIZE,
    width: AVATAR_SIZE,
    count: picked.length,
    images,
    labels,
    classNames: classNamesOf(set),
    source: `DiceBear pixel-art, seeds "${set}-0".."${set}-${full - 1}" (${versions})`,
    credits,
    officialHeldOut: Uint32Array.from({ length: nHeld }, (_, i) => limit - nHeld + i),
  };
}
