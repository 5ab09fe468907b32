import { useId } from 'react';
import { dataPresets, type BrowserTrainOptions, type TrainData } from '../training/config';
import { MIN_UPLOADS, MAX_UPLOADS } from '../training/data/uploads';
import { TRAIN_LIMITS } from '../training/options';
import { useApp } from '../state/context';
import { selectTrainLocked } from '../state/slices/training';
import { resumable } from '../state/slices/trainOptions';

const DATA_LABELS: Record<TrainData, string> = {
  mnist: 'MNIST digits (28x28 grayscale)',
  avatars: 'DiceBear pixel-art avatars, rendered here (32x32 RGB)',
  uploads: 'Your images (32x32 RGB)',
};

type NumericKey = keyof typeof TRAIN_LIMITS;

/** What every option field reads: its label id, current value, the lock and the setter. */
function useOptionField<K extends keyof BrowserTrainOptions>(name: K) {
  const id = useId();
  const value = useApp((s) => s.trainOptions[name]);
  const locked = useApp(selectTrainLocked);
  const setOptions = useApp((s) => s.setTrainOptions);
  return { id, value, locked, setOptions };
}

/** A number input bounded by TRAIN_LIMITS; every change goes through the normaliser. */
function NumberField({ name, label, testId }: { name: NumericKey; label: string; testId: string }) {
  const { id, value, locked, setOptions } = useOptionField(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        data-testid={testId}
        min={TRAIN_LIMITS[name].min}
        max={TRAIN_LIMITS[name].max}
        value={value}
        disabled={locked}
        onChange={(e) => {
          if (e.target.value !== '') setOptions({ [name]: e.target.value });
        }}
      />
    </div>
  );
}

/** A select over one choice option; every change goes through the normaliser. */
function ChoiceField({
  name,
  label,
  testId,
  choices,
}: {
  name: 'data' | 'preset';
  label: string;
  testId: string;
  /** [value, label] pairs. */
  choices: readonly (readonly [string, string])[];
}) {
  const { id, value, locked, setOptions } = useOptionField(name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        value={value}
        disabled={locked}
        onChange={(e) => setOptions({ [name]: e.target.value })}
      >
        {choices.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The file input of an uploads run, its count and what was wrong with the last pick. */
function UploadPicker() {
  const id = useId();
  const uploads = useApp((s) => s.trainUploads);
  const problems = useApp((s) => s.trainUploadProblems);
  const busy = useApp((s) => s.trainUploadBusy);
  const locked = useApp(selectTrainLocked);
  const pick = useApp((s) => s.pickTrainFiles);
  return (
    <div className="field">
      <label htmlFor={id}>
        Your images: at least {MIN_UPLOADS}, at most {MAX_UPLOADS} (centre-cropped to 32x32)
      </label>
      <input
        id={id}
        type="file"
        accept="image/*"
        multiple
        data-testid="train-files"
        disabled={locked || busy}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void pick(files);
        }}
      />
      <span className="hint" data-testid="train-files-count" data-count={uploads?.count ?? 0}>
        {busy ? 'Reading the images…' : `${uploads?.count ?? 0} images ready`}
      </span>
      {problems.length > 0 && (
        <ul className="error" role="alert" data-testid="train-files-error">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The run's options: data, preset, steps, batch, seed, live-sample interval. */
export function TrainOptionsForm() {
  const options = useApp((s) => s.trainOptions);
  const locked = useApp(selectTrainLocked);
  const saved = useApp((s) => s.trainSaved);
  return (
    <fieldset className="row wrap" data-testid="train-options" data-locked={locked}>
      <legend>Training data and options</legend>
      <ChoiceField
        name="data"
        label="Training data"
        testId="train-data"
        choices={Object.entries(DATA_LABELS)}
      />
      <ChoiceField
        name="preset"
        label="Network preset"
        testId="train-preset"
        choices={dataPresets(options.data).map((p) => [p, p])}
      />
      <NumberField name="steps" label="Steps" testId="train-steps" />
      <NumberField name="batch" label="Batch" testId="train-batch" />
      <NumberField name="seed" label="Seed" testId="train-seed" />
      <NumberField
        name="sampleEvery"
        label="Live sample every N steps (0: never)"
        testId="train-sample-every"
      />
      {options.data === 'uploads' && <UploadPicker />}
      {resumable(saved) && (
        <p className="hint" data-testid="train-saved" data-step={saved.step}>
          A saved run (step {saved.step} of {saved.options.steps}) resumes with these options;
          discard it to change them.
        </p>
      )}
    </fieldset>
  );
}
