import { useId, useState } from 'react';
import { useApp } from '../state/context';
import type { PickedFile } from '../worker/picked';

/**
 * "Bring your own model": a manifest URL (absolute or relative to the page, with an optional
 * baseline) or a picked model folder. Both are checked exactly like the shipped models.
 */
export function ModelLoader() {
  const ids = { model: useId(), baseline: useId(), files: useId(), list: useId() };
  const settings = useApp((s) => s.settings);
  const loadModelUrl = useApp((s) => s.loadModelUrl);
  const loadPickedFiles = useApp((s) => s.loadPickedFiles);
  const loaderError = useApp((s) => s.loaderError);
  const [model, setModel] = useState(settings.model);
  const [baseline, setBaseline] = useState(settings.baseline);
  const pick = (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files: PickedFile[] = Array.from(list, (file) => ({
      file,
      path: file.webkitRelativePath || file.name,
    }));
    void loadPickedFiles(files);
  };
  return (
    <details className="model-loader" open={settings.model !== ''}>
      <summary>Load a model</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (model.trim()) loadModelUrl(model, baseline);
        }}
      >
        <div className="field">
          <label htmlFor={ids.model}>Model (QAC, or a baseline alone): manifest.json URL</label>
          <input
            id={ids.model}
            type="text"
            inputMode="url"
            placeholder="https://example.org/my-qac/manifest.json"
            data-testid="model-url"
            value={model}
            onChange={(e) => setModel(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.baseline}>Baseline (optional)</label>
          <input
            id={ids.baseline}
            type="text"
            inputMode="url"
            placeholder="https://example.org/my-baseline/manifest.json"
            data-testid="model-baseline-url"
            value={baseline}
            onChange={(e) => setBaseline(e.target.value)}
          />
        </div>
        <button type="submit" data-testid="model-load" disabled={!model.trim()}>
          Load
        </button>
      </form>
      <div className="field">
        <label htmlFor={ids.files}>…or pick a model folder (or a folder with both models)</label>
        <input
          id={ids.files}
          type="file"
          data-testid="model-files"
          // webkitdirectory is not in React's typings; every current browser supports it.
          {...{ webkitdirectory: '' }}
          multiple
          onChange={(e) => pick(e.target.files)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.list}>
          …or pick one model's files (manifest.json, .onnx, weights.bin)
        </label>
        <input
          id={ids.list}
          type="file"
          data-testid="model-file-list"
          accept=".json,.onnx,.bin"
          multiple
          onChange={(e) => pick(e.target.files)}
        />
      </div>
      {loaderError && (
        <p className="error" role="alert" data-testid="loader-error">
          {loaderError}
        </p>
      )}
      <p className="hint">
        A model URL must be https: (or http: on this computer), and another server must allow this
        page to fetch it (CORS). Picked files stay on this device and are not in the link.
      </p>
    </details>
  );
}
