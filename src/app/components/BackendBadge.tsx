import { useApp } from '../state/context';

export function BackendBadge() {
  const info = useApp((s) => s.pairInfo?.backend ?? null);
  const loadState = useApp((s) => s.loadState);
  const text = info
    ? info.kind === 'webgpu'
      ? 'WebGPU'
      : `wasm, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`
    : loadState === 'error'
      ? 'no backend'
      : 'starting…';
  return (
    <div
      className="badge"
      data-testid="backend-badge"
      data-backend={info?.kind ?? ''}
      role="status"
    >
      <strong>{text}</strong>
      {info?.fallbackReason && <span className="why">: {info.fallbackReason}</span>}
    </div>
  );
}
