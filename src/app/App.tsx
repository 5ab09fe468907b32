import { BackendBadge } from './components/BackendBadge';
import { ViewBar } from './components/ViewBar';
import { CodePanel } from './panels/CodePanel';
import { ComparePanel } from './panels/ComparePanel';
import { CurvaturePanel } from './panels/CurvaturePanel';
import { EditPanel } from './panels/EditPanel';
import { FilmstripPanel } from './panels/FilmstripPanel';
import { InputPanel } from './panels/InputPanel';
import { LabPanel } from './panels/LabPanel';
import { SamplingPanel } from './panels/SamplingPanel';
import { TrainPanel } from './panels/TrainPanel';
import { useApp } from './state/context';

const megabytes = (n: number) => (n / 1e6).toFixed(1);

function LoadStatus() {
  const state = useApp((s) => s.loadState);
  const error = useApp((s) => s.loadError);
  const cancel = useApp((s) => s.cancelLoad);
  const cancellable = useApp((s) => s.loadRequest !== null);
  const bytes = useApp((s) => s.loadBytes);
  if (state === 'error') {
    return (
      <p className="error" role="alert" data-testid="load-error">
        {error}
      </p>
    );
  }
  if (state === 'loading') {
    return (
      <p className="row" role="status" data-testid="load-status">
        Loading models…{' '}
        {/* Large models (an imported 150 MB network) take a while: say how far the download is. */}
        {bytes && bytes.total > 0 && (
          <span data-testid="load-progress" data-received={bytes.received} data-total={bytes.total}>
            {megabytes(bytes.received)} of {megabytes(bytes.total)} MB{' '}
            <progress max={bytes.total} value={Math.min(bytes.received, bytes.total)} />{' '}
          </span>
        )}
        <button type="button" data-testid="load-cancel" disabled={!cancellable} onClick={cancel}>
          Cancel
        </button>
      </p>
    );
  }
  return null;
}

/** What normalising the settings changed (a clamped URL value, a snapped NFE). */
function SettingsNotices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notice row" role="status" data-testid="settings-notice">
      <ul>
        {notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss} aria-label="Dismiss these notices">
        OK
      </button>
    </div>
  );
}

/** The sampling panels, or the solver lab in their place. */
function Content() {
  const view = useApp((s) => s.settings.view);
  if (view === 'lab') return <LabPanel />;
  return (
    <>
      <ComparePanel />
      <CodePanel />
      <FilmstripPanel />
      <CurvaturePanel />
      <InputPanel />
      <EditPanel />
      <TrainPanel />
    </>
  );
}

export function App() {
  return (
    <>
      <header>
        <h1>QAC Playground</h1>
        <p className="explainer">
          Few-step diffusion with Quantized Adaptive Conditions: a model conditioned on a short
          binary code, next to the same network without one.
        </p>
        <BackendBadge />
        <ViewBar />
      </header>
      <main>
        <LoadStatus />
        <SettingsNotices />
        <div className="layout">
          <aside>
            <SamplingPanel />
          </aside>
          <div className="content">
            <Content />
          </div>
        </div>
      </main>
    </>
  );
}
