import type { Plugin } from 'vite';
import { packageVersion } from '../../train/data/package-version.ts';

const ID = 'virtual:package-versions';
const RESOLVED = `\0${ID}`;

/**
 * `import versions from 'virtual:package-versions'`: the installed versions of the packages the
 * browser trainer credits in its model cards (read from node_modules at build time, as the Node
 * trainer reads them at run time), so a card names what the page actually shipped.
 */
export function versionsPlugin(packages: readonly string[]): Plugin {
  return {
    name: 'qac-package-versions',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load: async (id) => {
      if (id !== RESOLVED) return null;
      const entries = await Promise.all(packages.map(async (p) => [p, await packageVersion(p)]));
      return `export default ${JSON.stringify(Object.fromEntries(entries))};`;
    },
  };
}
