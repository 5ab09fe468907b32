import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog, type Catalog } from '../../runtime/catalog.ts';

interface ManifestHead {
  name: string;
  dataset: string;
  kind: string;
}

function readHead(path: string): ManifestHead | null {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Partial<ManifestHead>;
    return typeof m.dataset === 'string' && typeof m.kind === 'string' && typeof m.name === 'string'
      ? (m as ManifestHead)
      : null;
  } catch {
    return null;
  }
}

/**
 * A catalog for a models folder without catalog.json: one pair per dataset that has both a qac
 * and a baseline model folder, so newly exported models show up without editing a file.
 */
function inferCatalog(dir: string): Catalog | null {
  const byDataset = new Map<string, { qac?: string; baseline?: string }>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const head = readHead(join(dir, entry.name, 'manifest.json'));
    if (!head || (head.kind !== 'qac' && head.kind !== 'baseline')) continue;
    const pair = byDataset.get(head.dataset) ?? {};
    pair[head.kind] ??= entry.name;
    byDataset.set(head.dataset, pair);
  }
  const pairs = [...byDataset.entries()]
    .filter(([, p]) => p.qac && p.baseline)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataset, p]) => ({
      id: dataset.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
      label: `${dataset} (${p.qac} vs ${p.baseline})`,
      qac: p.qac!,
      baseline: p.baseline!,
    }));
  return pairs.length > 0 ? { version: 1, default: pairs[0].id, pairs } : null;
}

/**
 * The catalog of a models folder: catalog.json when present (validated, every named folder must
 * hold a manifest), else one inferred from the model folders, else null (no models shipped).
 */
export function resolveCatalog(dir: string): { catalog: Catalog; inferred: boolean } | null {
  const path = join(dir, 'catalog.json');
  if (!existsSync(path)) {
    const catalog = existsSync(dir) ? inferCatalog(dir) : null;
    return catalog && { catalog, inferred: true };
  }
  const catalog = parseCatalog(readFileSync(path, 'utf8'), path);
  for (const pair of catalog.pairs) {
    for (const folder of [pair.qac, pair.baseline]) {
      const manifest = join(dir, folder, 'manifest.json');
      if (!existsSync(manifest)) {
        throw new Error(`${path}: pair "${pair.id}" names ${folder}, but ${manifest} is missing`);
      }
    }
    if (pair.examples && !existsSync(join(dir, pair.examples))) {
      throw new Error(
        `${path}: pair "${pair.id}" names examples ${pair.examples}, which is missing`,
      );
    }
  }
  return { catalog, inferred: false };
}
