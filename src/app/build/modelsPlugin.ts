import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { parseCatalog } from '../catalog/schema';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

/** Fails loudly when the catalog is invalid or names a folder without a manifest. */
function checkCatalog(dir: string): boolean {
  const path = join(dir, 'catalog.json');
  if (!existsSync(path)) return false;
  const catalog = parseCatalog(readFileSync(path, 'utf8'), path);
  for (const pair of catalog.pairs) {
    for (const folder of [pair.qac, pair.baseline]) {
      const manifest = join(dir, folder, 'manifest.json');
      if (!existsSync(manifest)) {
        throw new Error(`${path}: pair "${pair.id}" names ${folder}, but ${manifest} is missing`);
      }
    }
  }
  return true;
}

/**
 * Serves the models folder at `<base>models/` in dev and copies it into `<outDir>/models` at build:
 * models/ stays the one copy in git, and the built dist/ is self-contained.
 */
export function modelsPlugin(dirOption: string): Plugin {
  const dir = resolve(dirOption);
  let outDir = '';
  return {
    name: 'qac-models',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      if (!checkCatalog(dir)) {
        this.warn(`no ${join(dir, 'catalog.json')}: the app will say that no models are shipped`);
      }
    },
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '/').split('?')[0]);
        const file = resolve(dir, `.${rel}`);
        if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
          next();
          return;
        }
        res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    closeBundle() {
      if (!existsSync(dir)) return;
      cpSync(dir, join(outDir, 'models'), {
        recursive: true,
        filter: (src) =>
          !src
            .slice(dir.length)
            .split(sep)
            .some((part) => part.startsWith('.')),
      });
    },
  };
}
