/**
 * Model folders from the file picker. Each picked model gets URLs under PICKED_PREFIX, which the
 * worker answers from the Files through the loader's fetch override: the loader then reads picked
 * files exactly as it reads served ones (same zod manifest, sizes, sha256, shape checks). The
 * `.invalid` domain is reserved, so such a URL can never reach a real server.
 */
export const PICKED_PREFIX = 'https://picked.qac-playground.invalid/';

/** One picked model folder: its folder URL and the files under it by URL. */
export interface PickedModel {
  /** The folder's name, which error messages use to name the model. */
  name: string;
  url: string;
  files: Record<string, File>;
}

/** A picked file and the path it had under the picked folder ('' parts for a plain file pick). */
export interface PickedFile {
  file: File;
  /** `webkitRelativePath` for a folder pick ("models/x-qac/manifest.json"), else the name. */
  path: string;
}

/**
 * Groups picked files into model folders: every folder holding a manifest.json is one model, with
 * the files directly in it. A plain multi-file pick (no folders) is one model named after the
 * manifest's folder-less pick ("picked").
 */
export function groupPicked(files: PickedFile[], batch: number): PickedModel[] {
  const dirs = new Map<string, PickedFile[]>();
  for (const f of files) {
    const cut = f.path.lastIndexOf('/');
    const dir = cut < 0 ? '' : f.path.slice(0, cut);
    dirs.set(dir, [...(dirs.get(dir) ?? []), f]);
  }
  const models: PickedModel[] = [];
  for (const [dir, list] of [...dirs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!list.some((f) => baseName(f.path) === 'manifest.json')) continue;
    const name = baseName(dir) || 'picked';
    const url = `${PICKED_PREFIX}${batch}/${models.length}/${encodeURIComponent(name)}/`;
    refuseClashes(list);
    const byUrl: Record<string, File> = {};
    for (const f of list) byUrl[new URL(encodeURIComponent(baseName(f.path)), url).href] = f.file;
    models.push({ name, url, files: byUrl });
  }
  return models;
}

/**
 * Two files of one name in one folder: a plain file pick carries no folders, so the files of a
 * qac and a baseline model picked together would silently replace each other.
 */
function refuseClashes(list: PickedFile[]): void {
  const counts = new Map<string, number>();
  for (const f of list) counts.set(baseName(f.path), (counts.get(baseName(f.path)) ?? 0) + 1);
  const clashes = [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${n} named ${name}`);
  if (clashes.length === 0) return;
  throw new Error(
    `the picked files clash (${clashes.join(', ')}): a file pick carries no folders, so the ` +
      `files of two models cannot be told apart; pick the folder that holds both models, or ` +
      `one model's files`,
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
