import { useId } from 'react';
import { stepsForNfe, type SolverName } from '../../core';
import { Panel } from '../components/Panel';
import { RangeField } from '../components/RangeField';
import { useApp } from '../state/context';
import { afsApplies, nfeChoices, snapNfe } from '../state/nfe';
import { BACKEND_CHOICES, SOLVERS, type BackendChoice } from '../state/settings';

function NfeSlider() {
  const { solver, afs: afsSetting, nfe: wanted } = useApp((s) => s.settings);
  const setSettings = useApp((s) => s.setSettings);
  const afs = afsSetting && afsApplies(solver);
  const choices = nfeChoices(solver, afs);
  const nfe = snapNfe(solver, afs, wanted);
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
      onChange={(v) => setSettings({ nfe: snapNfe(solver, afs, v) })}
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
  const runSample = useApp((s) => s.runSample);
  const cancelSample = useApp((s) => s.cancelSample);
  const busy = useApp((s) => s.sampleBusy);
  const ready = useApp((s) => s.loadState === 'ready');
  const stochastic = !afsApplies(settings.solver);

  const setSolver = (solver: SolverName) =>
    setSettings({ solver, nfe: snapNfe(solver, settings.afs && afsApplies(solver), settings.nfe) });

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
            value={settings.pair}
            onChange={(e) => setSettings({ pair: e.target.value, code: null })}
          >
            {catalog?.pairs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.solver}>Solver</label>
          <select
            id={ids.solver}
            data-testid="solver-select"
            value={settings.solver}
            onChange={(e) => setSolver(e.target.value as SolverName)}
          >
            {SOLVERS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <NfeSlider />
        <div className="field inline">
          <input
            id={`${ids.solver}-afs`}
            type="checkbox"
            checked={settings.afs && !stochastic}
            disabled={stochastic}
            onChange={(e) =>
              setSettings({
                afs: e.target.checked,
                nfe: snapNfe(settings.solver, e.target.checked, settings.nfe),
              })
            }
          />
          <label htmlFor={`${ids.solver}-afs`}>
            Analytical first step (AFS){stochastic ? ': deterministic solvers only' : ''}
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
        {settings.solver === 'edm-sde' && (
          <RangeField
            label="Churn S_churn"
            value={settings.churn}
            min={0}
            max={80}
            onChange={(churn) => setSettings({ churn })}
          />
        )}
        <div className="field">
          <label htmlFor={ids.batch}>Batch size</label>
          <input
            id={ids.batch}
            type="number"
            min={1}
            max={16}
            value={settings.batch}
            onChange={(e) => {
              const batch = Math.round(Number(e.target.value));
              if (batch >= 1 && batch <= 16) setSettings({ batch });
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
              min={0}
              value={settings.seed}
              onChange={(e) => {
                const seed = Math.round(Number(e.target.value));
                if (Number.isSafeInteger(seed) && seed >= 0 && seed < 2 ** 31)
                  setSettings({ seed });
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
            Sample
          </button>
          <button type="button" disabled={!busy} onClick={cancelSample}>
            Cancel
          </button>
        </div>
      </div>
    </Panel>
  );
}
