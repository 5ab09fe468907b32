import { useId } from 'react';
import { ImageCanvas } from '../components/ImageCanvas';
import { Panel } from '../components/Panel';
import { filmstripGif, filmstripSheet } from '../images/exports';
import { download, npyBytes } from '../images/npy';
import { useApp } from '../state/context';
import { describeRun } from '../state/describe';
import { slotLabel } from '../state/labels';

export function FilmstripPanel() {
  const id = useId();
  const sample = useApp((s) => s.sample);
  const shape = useApp((s) => s.pairInfo?.shape);
  const info = useApp((s) => s.pairInfo);
  const frame = useApp((s) => s.frame);
  const setFrame = useApp((s) => s.setFrame);
  if (!shape) return null;
  const steps = sample?.steps ?? 0;
  const f = Math.min(frame, steps);
  const sigma = sample?.qac.trajectory.sigmas[f];
  return (
    <Panel
      id="filmstrip"
      title="Intermediates"
      explainer="The first sample's state x_t and the denoiser's guess of the clean image at every step: QAC's guesses settle earlier when its path is straighter."
    >
      <div
        data-testid="filmstrip"
        data-sigmas={sample ? JSON.stringify(sample.qac.trajectory.sigmas) : ''}
      >
        {!sample ? (
          <p className="hint">Sample to fill the filmstrip.</p>
        ) : (
          <>
            <p className="hint" data-testid="filmstrip-settings">
              {describeRun(sample.params)}
            </p>
            <div className="actions">
              <button
                type="button"
                data-testid="download-trajectory"
                onClick={() => {
                  const t = sample.qac.trajectory;
                  const all = new Float32Array(t.xt.length * t.xt[0].length);
                  t.xt.forEach((x, k) => all.set(x, k * x.length));
                  const { channels, height, width } = shape;
                  download(
                    npyBytes(all, [t.xt.length, channels, height, width]),
                    `trajectory-qac-seed${sample.params.seed}.npy`,
                  );
                }}
              >
                Download QAC sample 0's trajectory (.npy, x_T … x_0)
              </button>
              <button
                type="button"
                data-testid="export-gif"
                onClick={() =>
                  download(
                    filmstripGif(sample, shape),
                    `filmstrip-seed${sample.params.seed}.gif`,
                    'image/gif',
                  )
                }
              >
                Animated GIF
              </button>
              <button
                type="button"
                data-testid="export-png-sheet"
                onClick={() =>
                  void filmstripSheet(sample, shape).then((png) =>
                    download(png, `filmstrip-seed${sample.params.seed}.png`, 'image/png'),
                  )
                }
              >
                PNG sheet
              </button>
            </div>
            <label htmlFor={id}>
              Step <output>{f}</output> of {steps} · sigma {sigma?.toPrecision(3)}
            </label>
            <input
              id={id}
              type="range"
              min={0}
              max={steps}
              step={1}
              value={f}
              onChange={(e) => setFrame(Number(e.target.value))}
            />
            <table>
              <thead>
                <tr>
                  <th scope="col">model</th>
                  <th scope="col">x_t</th>
                  <th scope="col">x0-hat</th>
                  <th scope="col">all steps (x0-hat)</th>
                </tr>
              </thead>
              <tbody>
                {(['qac', 'baseline'] as const).map((m) => {
                  // A QAC model loaded alone has no baseline row.
                  const run = sample[m];
                  if (!run) return null;
                  const t = run.trajectory;
                  const strip = new Float32Array(t.x0.length * t.x0[0].length);
                  t.x0.forEach((x, k) => strip.set(x, k * x.length));
                  return (
                    <tr key={m}>
                      <th scope="row">{slotLabel(m, info)}</th>
                      <td>
                        <ImageCanvas
                          data={t.xt[f]}
                          shape={shape}
                          count={1}
                          size={84}
                          label={`${m} x_t at step ${f}`}
                        />
                      </td>
                      <td>
                        <ImageCanvas
                          data={t.x0[Math.min(f, t.x0.length - 1)]}
                          shape={shape}
                          count={1}
                          size={84}
                          label={`${m} x0-hat at step ${f}`}
                        />
                      </td>
                      <td>
                        <ImageCanvas
                          data={strip}
                          shape={shape}
                          count={t.x0.length}
                          size={56}
                          label={`${m} x0-hat at every step`}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </div>
    </Panel>
  );
}
