import { useId } from 'react';
import { ImageCanvas } from '../components/ImageCanvas';
import { centreMask, MaskCanvas } from '../components/MaskCanvas';
import { Panel } from '../components/Panel';
import { RangeField } from '../components/RangeField';
import { useApp } from '../state/context';
import { EDIT_MODES, LIMITS, type EditMode } from '../state/settings';
import { slotLabel } from '../state/labels';

const MODE_LABELS: Record<EditMode, string> = {
  inpaint: 'Inpainting (mask)',
  colorize: 'Colorization (RGB models)',
  sr2: 'Super-resolution x2',
  sr4: 'Super-resolution x4',
};

export function EditPanel() {
  const ids = { mode: useId(), tool: useId() };
  const shape = useApp((s) => s.pairInfo?.shape);
  const main = useApp((s) => slotLabel('qac', s.pairInfo));
  const { editMode, editSteps } = useApp((s) => s.settings);
  const setSettings = useApp((s) => s.setSettings);
  const input = useApp((s) => s.editInput);
  const storedMask = useApp((s) => s.mask);
  const setMask = useApp((s) => s.setMask);
  const tool = useApp((s) => s.maskTool);
  const setTool = useApp((s) => s.setMaskTool);
  const result = useApp((s) => s.editResult);
  const busy = useApp((s) => s.editBusy);
  const error = useApp((s) => s.editError);
  const progress = useApp((s) => s.editProgress);
  const runEdit = useApp((s) => s.runEdit);
  const cancelEdit = useApp((s) => s.cancelEdit);
  if (!shape) return null;
  const gray = shape.channels === 1;
  const mask =
    storedMask && storedMask.length === shape.width * shape.height ? storedMask : centreMask(shape);
  const blocked = editMode === 'colorize' && gray ? 'Colorization needs an RGB model pair.' : null;
  return (
    <Panel
      id="editing"
      title="Zero-shot editing"
      explainer="The same models fill in masked pixels, add colour or add detail without any retraining: the known part of the image is pinned at every step (the paper's Algorithm 2)."
    >
      <div className="controls">
        <div className="field">
          <label htmlFor={ids.mode}>Edit</label>
          <select
            id={ids.mode}
            data-testid="edit-mode"
            value={editMode}
            onChange={(e) => setSettings({ editMode: e.target.value as EditMode })}
          >
            {EDIT_MODES.map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        <RangeField
          label="Steps (Karras)"
          value={editSteps}
          min={LIMITS.editSteps.min}
          max={LIMITS.editSteps.max}
          onChange={(editSteps) => setSettings({ editSteps })}
        />
      </div>
      {editMode === 'inpaint' && input && (
        <div>
          <div className="row wrap">
            <div className="row" role="radiogroup" aria-label="Mask tool">
              {(['brush', 'rect'] as const).map((t) => (
                <label key={t} className="choice">
                  <input
                    type="radio"
                    name={ids.tool}
                    checked={tool === t}
                    onChange={() => setTool(t)}
                  />{' '}
                  {t === 'brush' ? 'Brush' : 'Rectangle'}
                </label>
              ))}
            </div>
            <button
              type="button"
              onClick={() => setMask(new Uint8Array(shape.width * shape.height))}
            >
              Clear mask
            </button>
            <button type="button" onClick={() => setMask(centreMask(shape))}>
              Centre mask
            </button>
          </div>
          <MaskCanvas
            image={input.tensor}
            shape={shape}
            mask={mask}
            tool={tool}
            onChange={setMask}
          />
        </div>
      )}
      {blocked && <p className="notice">{blocked}</p>}
      <div className="row">
        <button
          type="button"
          data-testid="edit-run"
          disabled={!input || busy || blocked !== null}
          onClick={() => {
            if (!storedMask) setMask(mask);
            void runEdit();
          }}
        >
          Run edit
        </button>
        <button type="button" disabled={!busy} onClick={cancelEdit}>
          Cancel
        </button>
        {busy && <progress max={1} value={progress} aria-label="Editing progress" />}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="row wrap">
          {(
            [
              ['known', 'What the models are given', 'edit-known', 'given'],
              ['qac', `${main} edit`, 'edit-result-qac', main],
              ['baseline', 'Baseline edit', 'edit-result-baseline', 'baseline'],
            ] as const
          )
            // A QAC model loaded alone gives no baseline edit.
            .filter(([key]) => result[key] !== null)
            .map(([key, label, testId, caption]) => (
              <figure key={key}>
                <ImageCanvas
                  data={result[key]}
                  shape={shape}
                  count={1}
                  size={140}
                  label={label}
                  testId={testId}
                />
                <figcaption>{caption}</figcaption>
              </figure>
            ))}
        </div>
      )}
    </Panel>
  );
}
