import { useApp } from '../state/context';
import type { StepPath } from '../worker/protocol';

const STEP_PATHS: Record<StepPath, string> = {
  'gpu-chained': 'steps chained on GPU',
  'gpu-readback': 'per-step readback',
  cpu: 'steps on CPU',
};

export function BackendBadge() {
  const info = useApp((s) => s.pairInfo?.backend ?? null);
  const loadState = useApp((s) => s.loadState);
  // What the last sample actually did, which a failed GPU chain can change mid-session.
  const path = useApp((s) => s.sample?.qac.path ?? null);
  const text = info
    ? info.kind === 'webgpu'
      ? 'WebGPU'
      : `wasm, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`
    : loadState === 'error'
      ? 'no backend'
      : 'starting…';
  const why = info?.fallbackReason ?? info?.chainOff;
  return (
    <div
      className="badge"
      data-testid="backend-badge"
      data-backend={info?.kind ?? ''}
      data-steps={path ?? ''}
      role="status"
    >
      <strong>{text}</strong>
      {info?.kind === 'webgpu' && path && <span>, {STEP_PATHS[path]}</span>}
      {why && <span className="why">: {why}</span>}
    </div>
  );
}
