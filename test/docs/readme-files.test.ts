// Folder READMEs list their files so that a reader finds what each file is for without opening
// it; this test keeps those lists from drifting. The list is the `## Files` section of a
// folder's README.md: Markdown tables whose first cell names one or more paths in backticks,
// relative to the README's folder (`name.ts`, `sub/` for a subfolder, `sub/name.ts` for a file
// of a subfolder that has no Files list of its own). Only first cells count, so descriptions may
// mention any file.
//
// Every folder under src/ is covered: either its own README has a Files section naming each of
// its files and subfolders, or the nearest README above it with a Files section names each of its
// files by relative path. Any other README with a Files section (bench/, scripts/, e2e/, test/)
// is held to the same rule for its own folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['src', 'bench', 'scripts', 'e2e', 'test'];
/** Folders that must be covered; the roots themselves only hold layers. */
const REQUIRED_UNDER = 'src';

function folders(dir: string): string[] {
  const out = [dir];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
      out.push(...folders(posix.join(dir, e.name)));
    }
  }
  return out;
}

function entries(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'README.md') continue;
    (e.isDirectory() ? dirs : files).push(e.name);
  }
  return { files, dirs };
}

/** The names in the first cells of the tables of the `## Files` section, or null without one. */
function filesSection(markdown: string): string[] | null {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Files');
  if (start < 0) return null;
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##? /.test(line)) break;
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) names.push(m[1]);
  }
  return names;
}

/** Folder -> the names its README's Files section gives, for every README that has one. */
function lists(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const root of SCANNED) {
    if (!existsSync(join(ROOT, root))) continue;
    for (const dir of folders(root)) {
      const readme = join(ROOT, dir, 'README.md');
      if (!existsSync(readme)) continue;
      const names = filesSection(readFileSync(readme, 'utf8'));
      if (names) out.set(dir, names);
    }
  }
  return out;
}

describe('folder READMEs list their files', () => {
  const all = lists();

  it('parses the Files section of a README', () => {
    const md = [
      '# x',
      'text naming `other.ts`',
      '## Files',
      '| file | what |',
      '| --- | --- |',
      '| `a.ts`, `b.ts` | mentions `c.ts` |',
      '| `sub/` | a folder |',
      '## Next',
      '| `d.ts` | after the section |',
    ].join('\n');
    expect(filesSection(md)).toEqual(['a.ts', 'b.ts', 'sub/']);
    expect(filesSection('# no list\n| `a.ts` | x |')).toBeNull();
  });

  it('names only files and folders that exist', () => {
    const missing: string[] = [];
    for (const [dir, names] of all) {
      for (const name of names) {
        const path = join(ROOT, dir, name);
        const ok = name.endsWith('/')
          ? existsSync(path) && statSync(path).isDirectory()
          : existsSync(path);
        if (!ok) missing.push(`${dir}/README.md names ${name}, which is not there`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every file of every listed folder, and every folder under src', () => {
    const gaps: string[] = [];
    const required = folders(REQUIRED_UNDER).filter((d) => d !== REQUIRED_UNDER);
    const listed = [...all.keys()];
    for (const dir of new Set([...required, ...listed])) {
      // The nearest folder at or above this one whose README has a Files section.
      let owner = dir;
      while (!all.has(owner) && owner.includes('/')) owner = posix.dirname(owner);
      const names = all.get(owner);
      if (!names) {
        gaps.push(`${dir}: no README.md with a "## Files" section here or above`);
        continue;
      }
      const prefix = owner === dir ? '' : `${posix.relative(owner, dir)}/`;
      const named = new Set(names);
      const { files, dirs } = entries(dir);
      for (const f of files) {
        if (!named.has(prefix + f)) gaps.push(`${owner}/README.md does not name ${prefix}${f}`);
      }
      for (const d of dirs) {
        const sub = `${dir}/${d}`;
        const own = all.has(sub);
        const mentioned = [...named].some(
          (n) => n === `${prefix}${d}/` || n.startsWith(`${prefix}${d}/`),
        );
        if (!mentioned && !(own && owner !== dir)) {
          gaps.push(`${owner}/README.md does not name ${prefix}${d}/`);
        }
      }
    }
    expect(gaps.sort()).toEqual([]);
  });
});
