import type { SampleParams } from '../worker/protocol';

/** "ipndm + AFS, NFE 4, seed 0": the settings a shown result was made with, for its caption. */
export function describeRun(p: SampleParams, parts: { nfe?: boolean } = {}): string {
  const solver = `${p.solver}${p.afs ? ' + AFS' : ''}`;
  const nfe = parts.nfe === false ? '' : `, NFE ${p.nfe}`;
  return `${solver}${nfe}, seed ${p.seed}${p.code === null ? '' : `, code ${p.code}`}`;
}
