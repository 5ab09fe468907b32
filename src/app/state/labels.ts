import type { PairInfo } from '../worker/protocol';

/**
 * What the page calls the model in a slot. The first slot ("qac" in the protocol) holds a baseline
 * when one is loaded alone (an imported model), which has no codes.
 */
export function slotLabel(slot: 'qac' | 'baseline', info: Pick<PairInfo, 'codes'> | null): string {
  return slot === 'qac' && info?.codes !== null ? 'QAC' : 'Baseline';
}
