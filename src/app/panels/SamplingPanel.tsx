import { useId } from 'react';
import { SOLVER_NAMES, SOLVERS, solverFacts, stepsForNfe, type SolverName } from '../../core';
import { Panel } from '../components/Panel';
import { RangeField } from '../components/RangeField';
import { ModelLoader } from '../components/ModelLoader';
import { isCustomSource, sourceKey } from '../state/byo';
import { useApp } from '../state/context';
import { BACKEND_CHOICES, LIMITS, nfeChoices, type BackendChoice } from '../state/settings';

/** A stable empty list: a selector that returned a new [] each time would re-render forever. */
const NO_SUMMARIES: readonly string[] = [];

/** The pair select's entry for a model loaded by URL or from picked files. */
const CUSTOM = '__custom__';

function NfeSlider() {
  const { solver, afs, nfe } = useApp((s) => s.settings);
  const setSettings = useApp((s) => s.setSettings);
  const choices = nfeChoices(solver, afs);
  const steps = stepsForNfe(solver, nfe, afs);
  return (
    <RangeField
      label="NFE"
      value={nfe}
      min={choices[0]}
      max={choices[choices.length - 1]}
      step={choices.length > 1 ? choices[1] - choices[0] : 1}
      testId="nfe-slider"
      hint={
        <span className="hint">
          = {steps} step{steps === 1 ? '' : 's'}
          {afs ? ' (first step analytical)' : ''}
        </span>
      }
      onChange={(v) => setSettings({ nfe: v })}
    />
  );
}

export function SamplingPanel() {
  const ids = {
    pair: useId(),
    solver: useId(),
    seed: useId(),
    batch: useId(),
    end: useId(),
    backend: useId(),
  };
  const settings = useApp((s) => s.settings);
  const catalog = useApp((s) => s.catalog);
  const setSettings = useApp((s) => s.setSettings);
  const reroll = useApp((s) => s.reroll);
  // In the lab view the buttons run and cancel the lab: a sample run there would supersede it
  // with results nobody sees.
  const inLab = useApp((s) => s.settings.view === 'lab');
  const runSample = useApp((s) => (inLab ? s.runLab : s.runSample));
  const cancelSample = useApp((s) => (inLab ? s.cancelLab : s.cancelSample));
  const busy = useApp((s) => (inLab ? s.labBusy : s.sampleBusy));
  const ready = useApp((s) => s.loadState === 'ready');
  const choosePair = useApp((s) => s.choosePair);
  const custom = useApp(isCustomSource);
  const customName = useApp((s) =>
    s.pairInfo && s.loadedPair === sourceKey(s)
      ? [s.pairInfo.qacName, s.pairInfo.baselineName].filter(Boolean).join(' + ')
      : null,
  );
  const summaries = useApp((s) => s.pairInfo?.summaries ?? NO_SUMMARIES);
  const noAfs = !solverFacts(settings.solver).afs;
  // AFS stays what the user chose for the solvers that take it (normalising turns it off for
  // the others), so switching back and forth keeps the choice.
  const setSolver = (solver: SolverName) =>
    setSettings({ solver, afs: solverFacts(solver).afs && (settings.afs || noAfs) });

  return (
    <Panel
      id="sampling"
      title="Sampling"
      explainer="Pick a model pair and a solver budget; both models then sample from the same noise, so any difference comes from the QAC code."
    >
      <div className="controls">
        <div className="field">
          <label htmlFor={ids.pair}>Dataset / model pair</label>
          <select
            id={ids.pair}
            data-testid="model-select"
            value={custom ? CUSTOM : settings.pair}
            onChange={(e) => e.target.value !== CUSTOM && choosePair(e.target.value)}
          >
            {catalog?.pairs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            {/* A loaded model joins the list; choosing a catalog pair leaves it. */}
            {custom && <option value={CUSTOM}>{`Your model: ${customName ?? 'loading…'}`}</option>}
          </select>
        </div>
        {summaries.length > 0 && (
          <ul className="pair-quality" data-testid="pair-quality">
            {summaries.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        <ModelLoader />
        <div className="field">
          <label htmlFor={ids.solver}>Solver</label>
          <select
            id={ids.solver}
            data-testid="solver-select"
            value={settings.solver}
            onChange={(e) => setSolver(e.target.value as SolverName)}
          >
            {SOLVER_NAMES.map((name) => (
              <option key={name} value={name}>
                {SOLVERS[name].label}
              </option>
            ))}
          </select>
        </div>
        <NfeSlider />
        <div className="field inline">
          <input
            id={`${ids.solver}-afs`}
            type="checkbox"
            checked={settings.afs}
            disabled={noAfs}
            onChange={(e) => setSettings({ afs: e.target.checked })}
          />
          <label htmlFor={`${ids.solver}-afs`}>
            Analytical first step (AFS){noAfs ? ': deterministic solvers only' : ''}
          </label>
        </div>
        <div className="field">
          <label htmlFor={ids.end}>Grid end</label>
          <select
            id={ids.end}
            value={settings.gridEnd}
            onChange={(e) => setSettings({ gridEnd: e.target.value as 'zero' | 'sigmaMin' })}
          >
            <option value="zero">sigma = 0 (EDM, k-diffusion)</option>
            <option value="sigmaMin">sigma_min (diff-sampler)</option>
          </select>
        </div>
        {solverFacts(settings.solver).churn && (
          <RangeField
            label="Churn S_churn"
            value={settings.churn}
            min={LIMITS.churn.min}
            max={LIMITS.churn.max}
            onChange={(churn) => setSettings({ churn })}
          />
        )}
        <div className="field">
          <label htmlFor={ids.batch}>Batch size</label>
          <input
            id={ids.batch}
            type="number"
            min={LIMITS.batch.min}
            max={LIMITS.batch.max}
            value={settings.batch}
            onChange={(e) => {
              if (e.target.value !== '') setSettings({ batch: Number(e.target.value) });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.seed}>Seed</label>
          <div className="row">
            <input
              id={ids.seed}
              type="number"
              data-testid="seed-input"
              min={LIMITS.seed.min}
              max={LIMITS.seed.max}
              value={settings.seed}
              onChange={(e) => {
                if (e.target.value !== '') setSettings({ seed: Number(e.target.value) });
              }}
            />
            <button type="button" onClick={reroll} aria-label="Reroll the seed">
              Reroll
            </button>
          </div>
        </div>
        <div className="field inline">
          <input
            id={`${ids.backend}-extras`}
            type="checkbox"
            checked={settings.extras}
            onChange={(e) => setSettings({ extras: e.target.checked })}
          />
          <label htmlFor={`${ids.backend}-extras`}>
            NFE sweep and code gallery after each sample
          </label>
        </div>
        <div className="field">
          <label htmlFor={ids.backend}>Backend</label>
          <select
            id={ids.backend}
            value={settings.backend}
            onChange={(e) => setSettings({ backend: e.target.value as BackendChoice })}
          >
            {BACKEND_CHOICES.map((b) => (
              <option key={b} value={b}>
                {b === 'auto' ? 'auto (WebGPU if available)' : b}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button
            type="button"
            data-testid="sample-button"
            disabled={!ready}
            onClick={() => void runSample()}
          >
            {inLab ? 'Run the lab' : 'Sample'}
          </button>
          <button type="button" disabled={!busy} onClick={cancelSample}>
            Cancel
          </button>
        </div>
      </div>
    </Panel>
  );
}
