import { useId, type ReactNode } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Shown after the value, inside the label (e.g. what the value amounts to). */
  hint?: ReactNode;
  testId?: string;
  onChange: (value: number) => void;
}

/** A labelled slider that shows its value. */
export function RangeField({ label, value, min, max, step = 1, hint, testId, onChange }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <output>{value}</output>
        {hint && <> {hint}</>}
      </label>
      <input
        id={id}
        type="range"
        data-testid={testId}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}
