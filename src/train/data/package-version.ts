import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed version of a package, also one whose `exports` hide its package.json. */
export async function packageVersion(name: string): Promise<string> {
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
  throw new Error(`cannot find the installed version of ${name}`);
}
