import { useId } from 'react';
import { useApp } from '../state/context';
import { currentPair } from '../state/slices/models';
import { DrawPad } from './DrawPad';
import { ImageCanvas } from './ImageCanvas';
import { rgbaToTensor, tensorToRgba } from '../images/tensor';
import { slotLabel } from '../state/labels';

const EXAMPLES = 8;

/** Chooses the input image shared by "encode" and editing: a dataset example, an upload or a drawing. */
export function InputPicker() {
  const uploadId = useId();
  const shape = useApp((s) => s.pairInfo?.shape);
  const main = useApp((s) => slotLabel('qac', s.pairInfo));
  const hasExamples = useApp((s) => Boolean(currentPair(s)?.examples));
  const input = useApp((s) => s.editInput);
  const error = useApp((s) => s.inputError);
  const exampleIndex = useApp((s) => s.settings.editExample);
  const pickExample = useApp((s) => s.pickExample);
  const pickUpload = useApp((s) => s.pickUpload);
  const pickTensor = useApp((s) => s.pickTensor);
  const sample = useApp((s) => s.sample);
  if (!shape) return null;
  return (
    <div className="picker">
      <div className="row wrap">
        {hasExamples && (
          <label>
            Dataset example{' '}
            <select value={exampleIndex} onChange={(e) => void pickExample(Number(e.target.value))}>
              {Array.from({ length: EXAMPLES }, (_, k) => (
                <option key={k} value={k}>
                  {k + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          disabled={!sample}
          onClick={() =>
            sample &&
            // As drawn: 8-bit and inside [-1, 1], like any other input image.
            pickTensor(
              rgbaToTensor(tensorToRgba(sample.qac.images, shape), shape),
              `the first ${main} sample`,
            )
          }
        >
          Use first {main} sample
        </button>
        <label htmlFor={uploadId}>Upload an image</label>
        <input
          id={uploadId}
          type="file"
          accept="image/*"
          data-testid="upload-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void pickUpload(file);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="input-error">
          {error}
        </p>
      )}
      <div className="row wrap">
        <figure>
          <ImageCanvas
            data={input?.tensor ?? null}
            shape={shape}
            count={1}
            size={168}
            label="Input image"
            testId="edit-input"
          />
          <figcaption>{input ? input.label : 'no input yet'}</figcaption>
        </figure>
        <figure>
          <DrawPad shape={shape} onDone={(t) => pickTensor(t, 'your drawing')} />
          <figcaption>or draw one (used when you lift the pen)</figcaption>
        </figure>
      </div>
      {input?.notice && (
        <p className="notice" role="status" data-testid="input-notice">
          {input.notice}
        </p>
      )}
    </div>
  );
}
