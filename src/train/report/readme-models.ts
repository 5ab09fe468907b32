// The root README's "Shipped models" table, written from the files it describes (catalog,
// manifests, headline.json), so the README cannot state a step count or ratio the models lack.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../runtime';
import { parseCatalog } from '../../runtime/catalog';
import { compareHeadline, type Ratio } from './headline-compare';
import { readHeadline } from './headline';
import { readManifest } from './manifest-file';

const START = '<!-- models table: written by `npm run report -- --render-only` -->';
const END = '<!-- end of models table -->';

const int = (x: number) => x.toLocaleString('en');
const interval = (r: Ratio) => `${r.value.toFixed(2)} [${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`;

function trained(m: Manifest): string {
  const c = m.training.config as { batch?: number };
  const minutes = m.training.wallTimeSeconds / 60;
  return `${int(m.training.steps)} steps x ${c.batch ?? '?'}, ${minutes.toFixed(0)} min`;
}

/** The table's markdown for the models folder `root`. */
export async function modelsTable(root: string): Promise<string> {
  const catalog = parseCatalog(await readFile(join(root, 'catalog.json'), 'utf8'));
  const lines = [
    '| pair | data | QAC / baseline training | headline ratio (`models/REPORT.md`) |',
    '| --- | --- | --- | --- |',
  ];
  for (const pair of catalog.pairs) {
    const [qDir, bDir] = [join(root, pair.qac), join(root, pair.baseline)];
    const [q, b] = [await readManifest(qDir), await readManifest(bDir)];
    const [hq, hb] = [await readHeadline(qDir), await readHeadline(bDir)];
    const { channels, height, width } = q.image;
    const result =
      hq && hb
        ? (() => {
            const c = compareHeadline(hq, hb);
            return `${interval(c.target.pooled)} (geometric mean of ${c.target.settings} settings, n = ${int(c.n)} x ${c.seeds.length} seeds)`;
          })()
        : 'no headline evaluation';
    lines.push(
      `| ${pair.label}${pair.id === catalog.default ? ' (default)' : ''} | \`${q.dataset}\`, ${channels}x${height}x${width} | \`${pair.qac}\` ${trained(q)}; \`${pair.baseline}\` ${trained(b)} | ${result} |`,
    );
  }
  return [START, ...lines, END].join('\n');
}

/** `readme` with its models table replaced by `table`; refuses a README without the markers. */
export function withModelsTable(readme: string, table: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from)
    throw new Error(`README.md lacks the models table markers (${START} ... ${END})`);
  return readme.slice(0, from) + table + readme.slice(to + END.length);
}
