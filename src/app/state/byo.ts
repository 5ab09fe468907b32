import { z } from 'zod';
import type { PickedModel } from '../worker/picked';
import type { Settings } from './settings';

/**
 * A model URL as a user gives it (`?model=`): a manifest.json, or the folder holding one, absolute
 * or relative to the page. Returns the folder URL the loader reads its files under.
 */
export function modelFolderUrl(input: string, pageUrl: string): string {
  const url = new URL(input.trim(), pageUrl);
  url.hash = '';
  url.search = '';
  const path = url.pathname;
  if (path.endsWith('.json')) url.pathname = path.slice(0, path.lastIndexOf('/') + 1);
  else if (!path.endsWith('/')) url.pathname = `${path}/`;
  return url.href;
}

/**
 * Picked model folders, sorted into the QAC model and its optional baseline; a baseline picked
 * alone takes the first slot.
 */
export interface PickedPair {
  qac: PickedModel;
  baseline: PickedModel | null;
}

/** What the page loads: picked files first, then a `?model=` URL, else the catalog pair. */
export function sourceKey(s: { settings: Settings; picked: PickedPair | null }): string {
  if (s.picked) return `picked:${s.picked.qac.url}|${s.picked.baseline?.url ?? ''}`;
  if (s.settings.model) return `url:${s.settings.model}|${s.settings.baseline}`;
  return `pair:${s.settings.pair}`;
}

export function isCustomSource(s: { settings: Settings; picked: PickedPair | null }): boolean {
  return s.picked !== null || s.settings.model !== '';
}

// Only the kind is read here, to tell the two picked models apart; the worker's loader does the
// full validation (zod schema, sizes, sha256) exactly as for shipped models.
const kindOnly = z.object({ kind: z.enum(['qac', 'baseline']) });

/** Sorts picked model folders by their manifests' kind; an error names the folder and the file. */
export async function sortPicked(models: PickedModel[]): Promise<PickedPair> {
  if (models.length === 0) {
    throw new Error('the picked files hold no manifest.json: pick a model folder (or its files)');
  }
  const byKind: Record<'qac' | 'baseline', PickedModel[]> = { qac: [], baseline: [] };
  for (const m of models) {
    const manifest = Object.entries(m.files).find(([url]) => url.endsWith('/manifest.json'));
    let kind: 'qac' | 'baseline' = 'qac';
    try {
      const parsed = kindOnly.safeParse(JSON.parse((await manifest?.[1].text()) ?? ''));
      // A manifest without a valid kind still goes to the loader, which names the bad field.
      if (parsed.success) kind = parsed.data.kind;
    } catch {
      // Not JSON: the loader says so, naming the model and the file.
    }
    byKind[kind].push(m);
  }
  // One baseline alone (an imported model) samples on its own, as a QAC model alone does.
  if (models.length === 1 && byKind.baseline.length === 1) {
    return { qac: byKind.baseline[0]!, baseline: null };
  }
  if (byKind.qac.length !== 1 || byKind.baseline.length > 1) {
    throw new Error(
      `pick one model folder, or a folder holding one qac and at most one baseline model ` +
        `(found ${byKind.qac.length} qac and ${byKind.baseline.length} baseline: ` +
        `${models.map((m) => m.name).join(', ')})`,
    );
  }
  return { qac: byKind.qac[0], baseline: byKind.baseline[0] ?? null };
}
