import { InputPicker } from '../components/InputPicker';
import { Panel } from '../components/Panel';
import { useApp } from '../state/context';

export function InputPanel() {
  const info = useApp((s) => s.pairInfo);
  const encode = useApp((s) => s.encodeInput);
  const encoded = useApp((s) => s.encoded);
  const hasInput = useApp((s) => s.editInput !== null);
  if (!info) return null;
  return (
    <Panel
      id="input"
      title="Input image"
      explainer="A real image to encode into its QAC code or to edit below: a dataset example, your own upload (fitted to the model's size) or a drawing."
    >
      <InputPicker />
      <div className="row">
        {/* A baseline loaded alone has no encoder. */}
        {info.codes && (
          <button type="button" disabled={!hasInput} onClick={() => void encode()}>
            Encode this image
          </button>
        )}
        {encoded !== null && (
          <span role="status">
            The encoder gives code {encoded}; the QAC model now samples with it.
          </span>
        )}
      </div>
    </Panel>
  );
}
