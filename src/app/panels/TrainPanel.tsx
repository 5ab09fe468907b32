import { Panel } from '../components/Panel';
import { useApp } from '../state/context';

/** Trains a small QAC model and its baseline in the browser, with the Node trainer's step graphs. */
export function TrainPanel() {
  const status = useApp((s) => s.trainStatus);
  const phase = useApp((s) => s.trainPhase);
  const error = useApp((s) => s.trainError);
  const losses = useApp((s) => s.trainLosses);
  const start = useApp((s) => s.startTraining);
  const stop = useApp((s) => s.stopTraining);
  const active = phase === 'starting' || phase === 'running' || phase === 'stopping';
  return (
    <Panel
      id="train"
      title="Train in the browser"
      explainer="A tiny QAC model and its baseline, trained here on the MNIST digits with the same step graphs (forward, backward and Adam in one ONNX graph) as the Node trainer."
    >
      <div className="row wrap">
        <button type="button" data-testid="train-start" disabled={active} onClick={start}>
          {phase === 'stopped' || phase === 'done' ? 'Train again' : 'Start training'}
        </button>
        <button type="button" data-testid="train-stop" disabled={!active} onClick={stop}>
          Stop
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
      >
        {status
          ? `Step ${status.qac.step} of ${status.steps}: loss QAC ${status.qac.loss.toFixed(4)}, ` +
            `baseline ${status.baseline.loss.toFixed(4)}; ${status.imagesPerSec.toFixed(1)} images/s` +
            (phase === 'stopped' ? ' (stopped)' : phase === 'done' ? ' (done)' : '')
          : phase === 'starting'
            ? 'Loading the digits and building the step graphs…'
            : 'Not training.'}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="train-error">
          {error}
        </p>
      )}
    </Panel>
  );
}
