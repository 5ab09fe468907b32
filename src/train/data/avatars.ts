import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  AVATAR_ATTRIBUTE_COUNT,
  AVATAR_COUNT,
  AVATAR_SIZE,
  avatarCredits,
  avatarDataset,
  packageList,
  type AvatarSet,
} from './avatar-svg';
import { AVATAR_DESIGN_PACKAGES } from './avatar-packages';
import { defaultCacheDir } from './emoji';
import { packageVersion } from './package-version';
import type { ImageDataset, LoadDatasetOptions } from './types';

/**
 * DiceBear pixel-art avatars, 32x32 RGB on white, rendered in Node with resvg-js. The design is
 * CC0 1.0 and the code MIT. Seeds, options and credits are avatar-svg.ts's, which the browser
 * trainer shares.
 */
export {
  AVATAR_ATTRIBUTES,
  LABELLED_SETS,
  AVATAR_SIZE,
  attributeClass,
  type AvatarSet,
} from './avatar-svg';
import { exists } from '../../runtime/node/files';

const PACKAGES = [...AVATAR_DESIGN_PACKAGES, '@resvg/resvg-js'] as const;

/** "npm @dicebear/core@9.4.3, ..." and the credits line naming them. */
async function avatarSource(): Promise<{ versions: string; credits: string }> {
  const versions = packageList(
    await Promise.all(PACKAGES.map(async (p) => [p, await packageVersion(p)] as const)),
  );
  return { versions, credits: avatarCredits(versions) };
}

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

export async function loadAvatars(
  set: AvatarSet,
  opts: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  const full = set === 'default' ? AVATAR_COUNT : AVATAR_ATTRIBUTE_COUNT;
  const bytes = await ensureRendered(set, full, opts.cacheDir ?? defaultCacheDir());
  const per = AVATAR_SIZE * AVATAR_SIZE * 3;
  const { versions } = await avatarSource();
  return avatarDataset(
    set,
    opts.limit,
    (seed) => bytes.subarray(seed * per, (seed + 1) * per),
    versions,
  );
}
