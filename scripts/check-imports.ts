// The import check of `npm run lint`: import cycles (type-only imports included) and upward
// imports between layers, from dependency-cruiser with the rules in .dependency-cruiser.mjs, and
// exported names that nothing imports and files that nothing imports, from knip (knip.json;
// src/core/index.ts is the public contract, so what it exports is never dead). Prints the counts and fails on any finding that
// scripts/import-baseline.txt does not list, and on baseline lines that no longer match (`--prune`
// deletes those), so the list only shrinks.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOTS = ['src', 'test', 'bench', 'e2e', 'scripts'];
const BASELINE = 'scripts/import-baseline.txt';

const cruiseSchema = z.object({
  modules: z.array(
    z.object({
      source: z.string(),
      dependencies: z.array(
        z.object({
          resolved: z.string(),
          dependencyTypes: z.array(z.string()),
          coreModule: z.boolean(),
          couldNotResolve: z.boolean(),
        }),
      ),
    }),
  ),
  summary: z.object({
    violations: z.array(
      z.object({ from: z.string(), to: z.string(), rule: z.object({ name: z.string() }) }),
    ),
    totalCruised: z.number(),
    totalDependenciesCruised: z.number(),
  }),
});

const knipNames = z.array(z.object({ name: z.string() })).optional();
const knipSchema = z.object({
  issues: z.array(
    z.object({
      file: z.string(),
      files: knipNames,
      exports: knipNames,
      types: knipNames,
      nsExports: knipNames,
      nsTypes: knipNames,
    }),
  ),
});

/** Runs a package's bin with this node and returns its stdout (these tools exit 1 on findings). */
function runBin(bin: string, args: string[]): Promise<string> {
  // Their package exports hide the bins, so they are found by path.
  const path = fileURLToPath(new URL(`../node_modules/${bin}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || code === 1) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${bin} exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
  });
}

/** The strongly connected groups of more than one module (Tarjan): each holds a cycle. */
function cycleGroups(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || edges.get(v)?.includes(v)) groups.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return groups;
}

function readBaseline(): string[] {
  return readFileSync(BASELINE, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

async function main(): Promise<void> {
  const [cruiseJson, knipJson] = await Promise.all([
    runBin('dependency-cruiser/bin/dependency-cruise.mjs', [
      ...ROOTS,
      '--config',
      '.dependency-cruiser.mjs',
      '--output-type',
      'json',
    ]),
    runBin('knip/bin/knip.js', [
      '--include',
      'files,exports,types,nsExports,nsTypes',
      '--reporter',
      'json',
      '--no-progress',
    ]),
  ]);
  const cruise = cruiseSchema.parse(JSON.parse(cruiseJson));
  const knip = knipSchema.parse(JSON.parse(knipJson));

  const edges = new Map<string, string[]>();
  for (const m of cruise.modules) {
    const local = m.dependencies.filter((d) => d.dependencyTypes.includes('local'));
    edges.set(
      m.source,
      local.map((d) => d.resolved),
    );
  }
  const groups = cycleGroups(edges);
  const inGroup = new Map(groups.flatMap((g, k) => g.map((f) => [f, k] as const)));
  // A cycle is keyed by its imports, so a new import that closes a cycle is a new finding.
  const cycleEdges = [...edges].flatMap(([from, tos]) =>
    tos
      .filter((to) => inGroup.has(from) && inGroup.get(from) === inGroup.get(to))
      .map((to) => `cycle ${from} -> ${to}`),
  );
  const upward = cruise.summary.violations
    .filter((v) => v.rule.name !== 'no-circular')
    .map((v) => `upward ${v.from} -> ${v.to}`);
  const deadValues = knip.issues.flatMap((i) =>
    [...(i.exports ?? []), ...(i.nsExports ?? [])].map((e) => `dead-export ${i.file} ${e.name}`),
  );
  const deadTypes = knip.issues.flatMap((i) =>
    [...(i.types ?? []), ...(i.nsTypes ?? [])].map((e) => `dead-export ${i.file} ${e.name}`),
  );
  const deadFiles = knip.issues.flatMap((i) => (i.files ?? []).map((f) => `dead-file ${f.name}`));
  const findings = [
    ...new Set([...cycleEdges, ...upward, ...deadFiles, ...deadValues, ...deadTypes]),
  ];

  const baseline = readBaseline();
  const allowed = new Set(baseline);
  const found = new Set(findings);
  const fresh = findings.filter((f) => !allowed.has(f));
  const stale = baseline.filter((b) => !found.has(b));

  const modules = groups.reduce((n, g) => n + g.length, 0);
  console.log(
    `import check: ${cruise.summary.totalCruised} modules, ${cruise.summary.totalDependenciesCruised} imports`,
  );
  console.log(
    `  import cycles: ${groups.length} (${modules} modules, ${cycleEdges.length} imports)`,
  );
  console.log(`  upward imports: ${upward.length}`);
  console.log(
    `  dead exports: ${deadValues.length + deadTypes.length} (${deadValues.length} values, ${deadTypes.length} types)`,
  );
  console.log(`  unused files: ${deadFiles.length}`);
  console.log(`  listed in ${BASELINE}: ${baseline.length - stale.length} of ${findings.length}`);

  if (process.argv.includes('--prune') && stale.length > 0) {
    const keep = readFileSync(BASELINE, 'utf8')
      .split('\n')
      .filter((l) => !stale.includes(l.trim()));
    writeFileSync(BASELINE, keep.join('\n'));
    console.log(`  pruned ${stale.length} lines that no longer match`);
  } else if (stale.length > 0) {
    console.error(`\n${BASELINE} lists what is gone; delete these lines (or run with --prune):`);
    stale.forEach((s) => console.error(`  ${s}`));
  }
  if (fresh.length > 0) {
    console.error('\nNew findings (fix them; the baseline is for old ones only):');
    fresh.forEach((f) => console.error(`  ${f}`));
  }
  if (fresh.length > 0 || (stale.length > 0 && !process.argv.includes('--prune'))) {
    process.exitCode = 1;
  }
}

await main();
