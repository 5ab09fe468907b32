/** One finished test: where it is, and how long it took. */
export interface Timed {
  name: string;
  ms: number;
}

/** The k slowest tests, slowest first, as the lines both test runners print at the end. */
export function slowestLines(runner: string, tests: readonly Timed[], k = 10): string[] {
  const top = [...tests].sort((a, b) => b.ms - a.ms).slice(0, k);
  const total = tests.reduce((s, t) => s + t.ms, 0);
  const width = Math.max(0, ...top.map((t) => (t.ms / 1000).toFixed(1).length));
  return [
    `${runner}: the ${top.length} slowest of ${tests.length} tests (${(total / 1000).toFixed(1)} s of test time in all)`,
    ...top.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(width)} s  ${t.name}`),
  ];
}
