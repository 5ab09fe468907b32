import { useEffect } from 'react';
import { ImageCanvas } from '../components/ImageCanvas';
import { Panel } from '../components/Panel';
import { useApp } from '../state/context';
import { trainActive } from '../state/slices/training';
import type { TrainData } from '../training/config';
import { TrainDataView, TrainLossChart } from './TrainCharts';
import { TrainOptionsForm } from './TrainOptionsForm';

const STARTING: Record<TrainData, string> = {
  mnist: 'Loading the digits and building the step graphs…',
  avatars: 'Rendering the avatars and building the step graphs…',
  uploads: 'Building the step graphs…',
};

/** Trains a small QAC model and its baseline in the browser, with the Node trainer's step graphs. */
export function TrainPanel() {
  const status = useApp((s) => s.trainStatus);
  const phase = useApp((s) => s.trainPhase);
  const error = useApp((s) => s.trainError);
  const losses = useApp((s) => s.trainLosses);
  const sample = useApp((s) => s.trainSample);
  const start = useApp((s) => s.startTraining);
  const stop = useApp((s) => s.stopTraining);
  const exportZip = useApp((s) => s.exportTraining);
  const reset = useApp((s) => s.resetTraining);
  const loadSaved = useApp((s) => s.loadSavedTraining);
  const data = useApp((s) => s.trainOptions.data);
  const elsewhere = useApp((s) => s.trainElsewhere);
  const watch = useApp((s) => s.watchTraining);
  const active = trainActive(phase);
  // The saved run's options fill the form before any start (after a reload).
  useEffect(() => void loadSaved(), [loadSaved]);
  // Another tab's run: this one shows it and keeps its hands off.
  useEffect(() => watch(), [watch]);
  return (
    <Panel
      id="train"
      title="Train in the browser"
      explainer="A tiny QAC model and its baseline, trained here on the MNIST digits, DiceBear avatars rendered in this page, or your own images, with the same step graphs (forward, backward and Adam in one ONNX graph) as the Node trainer. A stopped run (or a reload) resumes where it was, on the same data; the export opens in Load a model and in the Node CLIs."
    >
      <TrainOptionsForm />
      <div className="row wrap">
        <button
          type="button"
          data-testid="train-start"
          disabled={active || elsewhere !== null}
          onClick={start}
        >
          {phase === 'stopped' || phase === 'done' ? 'Train again' : 'Start training'}
        </button>
        <button type="button" data-testid="train-stop" disabled={!active} onClick={stop}>
          Stop
        </button>
        <button
          type="button"
          data-testid="train-export"
          disabled={!status || phase === 'stopping'}
          onClick={exportZip}
        >
          Export model folders (.zip)
        </button>
        <button
          type="button"
          data-testid="train-reset"
          disabled={active || elsewhere !== null}
          onClick={reset}
        >
          Discard the saved run
        </button>
      </div>
      <p
        className="hint"
        role="status"
        data-testid="train-status"
        data-phase={phase}
        data-step={status?.qac.step ?? 0}
        data-loss={status?.qac.loss ?? ''}
        data-baseline-loss={status?.baseline.loss ?? ''}
        data-images-per-sec={status?.imagesPerSec ?? ''}
        data-losses={losses.qac.join(',')}
        data-resumed-from={status?.resumedFrom ?? ''}
        data-backend={status?.backend.ep ?? ''}
      >
        {status
          ? `Step ${status.qac.step} of ${status.steps}: loss QAC ${status.qac.loss.toFixed(4)}, ` +
            `baseline ${status.baseline.loss.toFixed(4)}` +
            (Number.isNaN(status.imagesPerSec)
              ? ''
              : `; ${status.imagesPerSec.toFixed(1)} images/s`) +
            (status.resumedFrom > 0 ? ` (resumed from step ${status.resumedFrom})` : '') +
            ` on ${status.backend.ep === 'webgpu' ? 'WebGPU' : 'wasm'}` +
            (status.backend.reason ? ` (${status.backend.reason})` : '') +
            (phase === 'stopped' ? ' (stopped)' : phase === 'done' ? ' (done)' : '')
          : phase === 'starting'
            ? STARTING[data]
            : 'Not training.'}
      </p>
      {elsewhere && !active && (
        <p className="notice" role="status" data-testid="train-elsewhere">
          A training run is going in another tab of this browser
          {elsewhere.step === null ? '' : ` (step ${elsewhere.step} of ${elsewhere.steps})`}. This
          tab cannot start, stop or discard it: stop it in that tab, then Start here continues it.
        </p>
      )}
      <TrainDataView />
      <TrainLossChart />
      {sample && (
        <figure>
          <ImageCanvas
            data={sample.images}
            shape={sample.shape}
            count={sample.count}
            cols={sample.count}
            size={2 * sample.shape.width}
            label={`QAC samples at step ${sample.step}`}
            testId="train-sample"
          />
          <figcaption data-testid="train-sample-step" data-step={sample.step}>
            QAC (EMA) at step {sample.step}: Euler, NFE 10, seed 0
          </figcaption>
        </figure>
      )}
      {error && (
        <p className="error" role="alert" data-testid="train-error">
          {error}
        </p>
      )}
    </Panel>
  );
}
