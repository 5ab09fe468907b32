// Vitest's global setup (vitest.config.ts): each CLI built once into one file with esbuild, the
// transformer tsx applies too, for the tests that start CLIs as child processes. Under
// `node --import tsx` a CLI spent ~1.3 s of CPU loading its modules through the loader hooks
// before it read an argument, 0.4 s as a bundle; the suite starts ~80. (A bundle looks for files
// it names by `import.meta.url` next to itself: the avatars render worker would be missed, and no
// test starts a CLI that renders avatars.)
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root (npm scripts run here). */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const CLI = {
  train: 'src/train/cli/train.ts',
  export: 'src/train/cli/export.ts',
  sample: 'src/train/cli/sample.ts',
  eval: 'src/train/cli/eval.ts',
  examples: 'src/train/cli/examples.ts',
  import: 'src/train/cli/import.ts',
  report: 'src/train/report/cli.ts',
} as const;

export type CliName = keyof typeof CLI;

const BUNDLE_DIR = join(ROOT, '.cache', 'cli-bundles');

/** node's arguments that start a CLI: its bundle, built from the same source its npm script runs. */
export const cliArgs = (cli: CliName, args: readonly string[]): string[] => [
  join(BUNDLE_DIR, `${cli}.mjs`),
  ...args,
];

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
