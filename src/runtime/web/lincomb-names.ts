/**
 * Input and output names of the linear-combination graph, shared by its builder (lincomb-graph.ts,
 * loaded on first use) and its runner (tensor-ops.ts) without the runner loading the builder.
 */
export const LINCOMB = {
  coeffs: 'c',
  term: (k: number) => `v${k}`,
  out: 'out',
} as const;
