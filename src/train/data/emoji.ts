import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeImage, toTensor } from './image';
import type { ImageDataset, LoadDatasetOptions } from './types';
import { exists } from '../../runtime/node/files';

const run = promisify(execFile);

/** The artwork sets, pinned so a cache folder always holds the same images. */
const EMOJI_SETS = {
  google: {
    pkg: 'emoji-datasource-google',
    version: '16.0.0',
    credits:
      'Noto Emoji artwork by Google, Apache License 2.0 (npm emoji-datasource-google@16.0.0)',
  },
  twitter: {
    pkg: 'emoji-datasource-twitter',
    version: '16.0.0',
    credits:
      'Twemoji artwork by Twitter, Inc. and contributors, CC-BY 4.0 (npm emoji-datasource-twitter@16.0.0)',
  },
} as const;
export type EmojiSet = keyof typeof EMOJI_SETS;

export const defaultCacheDir = () => join(homedir(), '.cache', 'qac-playground');

/**
 * Makes sure the pinned package of `set` is extracted under `<cacheDir>/emoji` and returns its
 * `package` folder. Fetches with `npm pack` and the system `tar` (about 40 MB per set), into a
 * temp folder renamed into place only once complete.
 */
async function ensureEmojiPackage(set: EmojiSet, cacheDir = defaultCacheDir()): Promise<string> {
  const { pkg, version } = EMOJI_SETS[set];
  const root = join(cacheDir, 'emoji');
  const dest = join(root, `${pkg}-${version}`);
  if (await exists(join(dest, 'package', 'emoji.json'))) return join(dest, 'package');
  await mkdir(root, { recursive: true });
  const temp = await mkdtemp(join(root, '.download-'));
  try {
    process.stderr.write(`fetching ${pkg}@${version} into ${dest} (npm pack)...\n`);
    const { stdout } = await run(
      'npm',
      ['pack', `${pkg}@${version}`, '--pack-destination', temp, '--silent'],
      {
        maxBuffer: 1 << 20,
      },
    );
    const tarball = join(temp, stdout.trim().split('\n').pop()!);
    await run('tar', ['-xzf', tarball, '-C', temp]);
    await rm(tarball);
    await rm(dest, { recursive: true, force: true });
    await rename(temp, dest);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(
      `emoji: could not fetch ${pkg}@${version} with npm pack (${(e as Error).message.trim()})`,
      {
        cause: e,
      },
    );
  }
  return join(dest, 'package');
}

interface EmojiEntry {
  image?: string;
  category?: string;
  [hasImage: `has_img_${string}`]: boolean | undefined;
}

/**
 * Reads the 64 px images of one or more extracted emoji-datasource packages: each is composited
 * on white and area-resized to size x size RGB; the label is the emoji.json category.
 */
export async function loadEmojiFromPackages(
  packages: Array<{ set: EmojiSet; dir: string }>,
  opts: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  const size = opts.size ?? 32;
  const items: Array<{ file: string; category: string }> = [];
  for (const { set, dir } of packages) {
    const jsonPath = join(dir, 'emoji.json');
    let entries: EmojiEntry[];
    try {
      entries = JSON.parse(await readFile(jsonPath, 'utf8')) as EmojiEntry[];
    } catch (e) {
      throw new Error(`${jsonPath}: cannot read the emoji list (${(e as Error).message})`, {
        cause: e,
      });
    }
    if (!Array.isArray(entries)) throw new Error(`${jsonPath}: expected a JSON array of emoji`);
    for (const e of entries) {
      if (e[`has_img_${set}`] && e.image && e.category) {
        items.push({ file: join(dir, 'img', set, '64', e.image), category: e.category });
      }
    }
  }
  const kept = items.slice(0, opts.limit ?? items.length);
  if (kept.length === 0)
    throw new Error(`emoji: no images listed in ${packages.map((p) => p.dir).join(', ')}`);
  const classNames = [...new Set(kept.map((i) => i.category))].sort();
  const per = 3 * size * size;
  const images = new Float32Array(kept.length * per);
  const labels = new Int32Array(kept.length);
  for (const [i, item] of kept.entries()) {
    images.set(toTensor(decodeImage(await readFile(item.file), item.file), size, 3), i * per);
    labels[i] = classNames.indexOf(item.category);
  }
  return {
    name: 'emoji',
    channels: 3,
    height: size,
    width: size,
    count: kept.length,
    images,
    labels,
    classNames,
    // The pinned packages, not the cache folder they sit in: cards must not carry machine paths.
    source: packages
      .map((p) => `npm ${EMOJI_SETS[p.set].pkg}@${EMOJI_SETS[p.set].version}`)
      .join(', '),
    credits: packages.map((p) => EMOJI_SETS[p.set].credits).join('; '),
  };
}

export async function loadEmoji(
  sets: EmojiSet[],
  opts: LoadDatasetOptions = {},
): Promise<ImageDataset> {
  const packages = [];
  for (const set of sets) packages.push({ set, dir: await ensureEmojiPackage(set, opts.cacheDir) });
  return loadEmojiFromPackages(packages, opts);
}
