import { ImageCanvas } from '../components/ImageCanvas';
import { Panel } from '../components/Panel';
import { download, npyBytes } from '../images/npy';
import { useApp } from '../state/context';
import { slotLabel } from '../state/labels';
import { SweepStrip } from './SweepStrip';

/** What the grids show; its data attributes let scripts wait for a particular result. */
function ShownLine() {
  const sample = useApp((s) => s.sample);
  const busy = useApp((s) => s.sampleBusy);
  const p = sample?.params;
  return (
    <p
      className="hint"
      data-testid="sample-status"
      data-busy={busy ? 'true' : 'false'}
      data-nfe={p?.nfe ?? ''}
      data-seed={p?.seed ?? ''}
      data-code={p ? (p.code ?? 'random') : ''}
      data-solver={p?.solver ?? ''}
      data-codes={sample ? sample.codes.join(',') : ''}
    >
      {p
        ? `Showing ${p.solver}${p.afs ? ' + AFS' : ''}, NFE ${p.nfe} (${sample.steps} steps), seed ${p.seed}, batch ${p.batch}${p.code === null ? '' : `, code ${p.code}`}.`
        : 'No samples yet.'}
    </p>
  );
}

function ProgressLine() {
  const progress = useApp((s) => s.progress);
  const busy = useApp((s) => s.sampleBusy);
  const info = useApp((s) => s.pairInfo);
  if (!busy) return null;
  return (
    <p className="progress" role="status" aria-live="polite">
      {progress
        ? `${slotLabel(progress.model, info)}: step ${progress.step} of ${progress.steps}`
        : 'Working…'}
      {progress && <progress max={progress.steps} value={progress.step} />}
    </p>
  );
}

function Speed() {
  const timing = useApp((s) => s.timing);
  const measure = useApp((s) => s.measure);
  const ready = useApp((s) => s.loadState === 'ready');
  const ratio = (runMs: number) => (runMs / (timing!.nfe * timing!.callMs)).toFixed(3);
  return (
    <div className="row wrap">
      <button
        type="button"
        data-testid="measure-button"
        disabled={!ready}
        onClick={() => void measure()}
      >
        Measure sampler overhead
      </button>
      {timing && (
        <span
          data-testid="timing"
          data-call-ms={timing.callMs}
          data-run-ms={timing.runMs}
          data-own-ms={timing.ownMs}
          data-app-run-ms={timing.appRunMs}
          data-ratio={timing.runMs / (timing.nfe * timing.callMs)}
          data-app-ratio={timing.appRunMs / (timing.nfe * timing.callMs)}
        >
          {`QAC: one denoiser call ${timing.callMs.toFixed(2)} ms; a ${timing.nfe}-NFE run ` +
            `${timing.runMs.toFixed(1)} ms = ${ratio(timing.runMs)} x the calls alone, ` +
            `${timing.ownMs.toFixed(1)} ms of it outside them ` +
            `(${ratio(timing.appRunMs)} x with the intermediates recorded)`}
        </span>
      )}
    </div>
  );
}

export function ComparePanel() {
  const info = useApp((s) => s.pairInfo);
  const sample = useApp((s) => s.sample);
  const error = useApp((s) => s.sampleError);
  const settings = useApp((s) => s.settings);
  if (!info) return null;
  const count = sample ? sample.codes.length : settings.batch;
  const cols = Math.min(count, 4);
  const save = () => {
    if (!sample) return;
    const runs = sample.baseline ? [sample.qac, sample.baseline] : [sample.qac];
    const both = new Float32Array(sample.qac.images.length * runs.length);
    runs.forEach((r, k) => both.set(r.images, k * sample.qac.images.length));
    const { channels, height, width } = info.shape;
    download(
      npyBytes(both, [runs.length, count, channels, height, width]),
      sample.baseline ? `qac-vs-baseline-seed${settings.seed}.npy` : `qac-seed${settings.seed}.npy`,
    );
  };
  return (
    <Panel
      id="compare"
      title="QAC vs baseline, same noise"
      explainer="Left: the QAC model with its code; right: the identical network trained without codes, started from the same x_T. Straighter QAC paths should look better at low NFE."
    >
      <ShownLine />
      <ProgressLine />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="pair">
        {/* A QAC model loaded alone has no baseline beside it. */}
        {(info.baselineName === null ? (['qac'] as const) : (['qac', 'baseline'] as const)).map(
          (model) => {
            const run = sample?.[model];
            return (
              <figure key={model}>
                <ImageCanvas
                  data={run?.images ?? null}
                  shape={info.shape}
                  count={count}
                  cols={cols}
                  label={`${slotLabel(model, info)} samples`}
                  testId={`grid-${model}`}
                />
                <figcaption>
                  {slotLabel(model, info)} ({model === 'qac' ? info.qacName : info.baselineName})
                  {run && (
                    <span className="hint" data-ms={run.ms.toFixed(1)}>
                      {' '}
                      · {run.nfe} NFE in {run.ms.toFixed(0)} ms
                      {model === 'qac' && info.codes && ` · codes ${sample.codes.join(', ')}`}
                    </span>
                  )}
                </figcaption>
              </figure>
            );
          },
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={save} disabled={!sample} data-testid="download-npy">
          {info.baselineName === null
            ? 'Download the batch (.npy, [1,B,C,H,W])'
            : 'Download both batches (.npy, [2,B,C,H,W])'}
        </button>
        <Speed />
      </div>
      <SweepStrip />
    </Panel>
  );
}
