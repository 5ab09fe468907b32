import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { resolveCatalog } from './catalogFiles.ts';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serves the models folder at `<base>models/` in dev and copies it into `<outDir>/models` at build:
 * models/ stays the one copy in git, and the built dist/ is self-contained. Without a
 * catalog.json the pairs are inferred from the model folders' manifests.
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
      const found = resolveCatalog(dir);
      if (!found)
        this.warn(`no model pairs in ${dir}: the app will say that no models are shipped`);
      else if (found.inferred)
        this.warn(`no ${join(dir, 'catalog.json')}: inferred one pair per dataset`);
    },
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const rel = decodeURIComponent((req.url ?? '/').split('?')[0]);
        if (rel === '/catalog.json') {
          const found = resolveCatalog(dir);
          if (found) {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(found.catalog));
            return;
          }
        }
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
      const target = join(outDir, 'models');
      cpSync(dir, target, {
        recursive: true,
        filter: (src) =>
          !src
            .slice(dir.length)
            .split(sep)
            .some((part) => part.startsWith('.')),
      });
      const found = resolveCatalog(dir);
      if (found?.inferred) {
        writeFileSync(join(target, 'catalog.json'), JSON.stringify(found.catalog, null, 2));
      }
    },
  };
}
