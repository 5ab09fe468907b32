import type { LoadedModel } from '../../runtime';
import type { EditResult, WorkerRequest } from './protocol';
import type { RunHooks } from './runs';

/** Zero-shot editing (SPEC section 6) with both models, through core's Algorithm 2 loop. */
export async function runEdit(
  _qac: LoadedModel,
  _baseline: LoadedModel,
  _msg: Extract<WorkerRequest, { type: 'edit' }>,
  _hooks: RunHooks,
): Promise<EditResult> {
  throw new Error('zero-shot editing needs src/core editing, which has not landed yet');
}
