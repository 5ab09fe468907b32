// Vitest global setup (../../vitest.config.ts): each CLI built once into one file with esbuild,
// the transformer tsx applies too. Under `node --import tsx` a CLI spent ~1.3 s of CPU loading its
// modules through the loader hooks before it read an argument, 0.4 s as a bundle; the bad-input
// suite starts ~60. (A bundle looks for files it names by `import.meta.url` next to itself: the
// avatars render worker would be missed, and no case here renders avatars.)
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_DIR, CLI, ROOT } from './helpers';

export default async function setup(): Promise<void> {
  await build({
    entryPoints: Object.entries(CLI).map(([out, src]) => ({ out, in: join(ROOT, src) })),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies load from node_modules as they do under tsx (native addons, wasm, workers).
    packages: 'external',
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}
