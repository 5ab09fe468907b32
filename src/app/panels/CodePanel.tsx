import { ImageCanvas } from '../components/ImageCanvas';
import { Panel } from '../components/Panel';
import { useApp } from '../state/context';
import { describeRun } from '../state/describe';

function CodeBits() {
  const bits = useApp((s) => s.pairInfo?.codes?.bits ?? 0);
  const fixed = useApp((s) => s.settings.code);
  const shown = useApp((s) => s.settings.code ?? s.sample?.codes[0] ?? null);
  const toggleBit = useApp((s) => s.toggleBit);
  const setSettings = useApp((s) => s.setSettings);
  const drawCode = useApp((s) => s.drawCode);
  return (
    <div>
      <p>
        {fixed === null
          ? `Each sample draws its code from the sampling weights${shown !== null ? ` (sample 1 got ${shown})` : ''}. Toggle a bit to fix the code.`
          : `Every QAC sample uses code ${fixed}.`}
      </p>
      <div
        className="bits"
        role="group"
        aria-label="Code bits, bit 0 first"
        data-testid="code-bits"
      >
        {Array.from({ length: bits }, (_, i) => {
          const on = shown !== null && ((shown >>> i) & 1) === 1;
          return (
            <button
              key={i}
              type="button"
              className={on ? 'bit on' : 'bit'}
              aria-pressed={on}
              aria-label={`bit ${i}`}
              onClick={() => toggleBit(i)}
            >
              {on ? 1 : 0}
            </button>
          );
        })}
      </div>
      <div className="row">
        <button type="button" onClick={() => void drawCode()}>
          Draw a code from the weights
        </button>
        <button type="button" disabled={fixed === null} onClick={() => setSettings({ code: null })}>
          Random code per sample
        </button>
      </div>
    </div>
  );
}

function WeightStats() {
  const codes = useApp((s) => s.pairInfo?.codes);
  if (!codes) return null;
  const max = codes.top[0]?.weight ?? 1;
  const shownBars = codes.top.slice(0, 64);
  return (
    <div>
      <p data-testid="code-stats">
        {codes.distinct} of {2 ** codes.bits} codes in use · entropy {codes.entropyBits.toFixed(2)}{' '}
        bits · perplexity {codes.perplexity.toFixed(1)}
      </p>
      <div
        className="histogram"
        role="img"
        aria-label={`Sampling weights of the ${shownBars.length} most used codes, heaviest first`}
      >
        {shownBars.map((c) => (
          <span
            key={c.index}
            className="bar"
            title={`code ${c.index}: ${(c.weight * 100).toFixed(2)}%`}
            style={{ height: `${(c.weight / max) * 100}%` }}
          />
        ))}
      </div>
    </div>
  );
}

function Gallery() {
  const gallery = useApp((s) => s.gallery);
  const shape = useApp((s) => s.pairInfo?.shape);
  const setSettings = useApp((s) => s.setSettings);
  if (!gallery || !shape) return null;
  const size = shape.channels * shape.height * shape.width;
  return (
    <div className="gallery">
      <h3>Most used codes (one sample each, same noise)</h3>
      <p className="hint" data-testid="gallery-settings" data-solver={gallery.params.solver}>
        {describeRun({ ...gallery.params, code: null })}
      </p>
      <ul className="row wrap">
        {gallery.codes.map((c, k) => (
          <li key={c.index}>
            <button
              type="button"
              className="tile"
              onClick={() => setSettings({ code: c.index })}
              aria-label={`Use code ${c.index}`}
            >
              <ImageCanvas
                data={gallery.images.subarray(k * size, (k + 1) * size)}
                shape={shape}
                count={1}
                size={84}
                label={`sample with code ${c.index}`}
              />
              <span>
                #{c.index} · {(c.weight * 100).toFixed(1)}%
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CodePanel() {
  const info = useApp((s) => s.pairInfo);
  // A baseline loaded alone takes no code: nothing to pick.
  if (!info?.codes) return null;
  return (
    <Panel
      id="codes"
      title="Code picker"
      explainer="The code is the QAC model's only extra input: a few bits that select a mode of the data. Flip bits, draw from the usage weights, or encode an image to see what each code means."
    >
      <CodeBits />
      <WeightStats />
      <Gallery />
      <p className="hint">
        To get the code of a given image, use “Encode this image” in the Input image panel.
      </p>
    </Panel>
  );
}
