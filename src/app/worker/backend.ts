import type { WebBackend } from '../../runtime/web';
import type { BackendChoice } from '../state/settings';
import type { BackendInfo } from './protocol';

/** The badge's view of the backend the runtime reports for the pair. */
export function backendInfo(web: WebBackend, choice: BackendChoice): BackendInfo {
  return {
    kind: web.ep,
    threads: web.wasmThreads,
    crossOriginIsolated: self.crossOriginIsolated,
    fallbackReason:
      web.ep === 'webgpu'
        ? null
        : choice === 'wasm'
          ? 'wasm was chosen in the settings'
          : web.fallbackReason,
    chainOff: null,
  };
}
