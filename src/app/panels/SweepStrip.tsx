import { ImageCanvas } from '../components/ImageCanvas';
import { useApp } from '../state/context';
import { describeRun } from '../state/describe';
import { slotLabel } from '../state/labels';

/** Sample 0 at several NFE budgets, QAC above the baseline. */
export function SweepStrip() {
  const sweep = useApp((s) => s.sweep);
  const rows = sweep?.rows;
  const shape = useApp((s) => s.pairInfo?.shape);
  const info = useApp((s) => s.pairInfo);
  if (!shape) return null;
  return (
    <div className="sweep" data-testid="nfe-sweep">
      <h3>NFE sweep (first sample)</h3>
      {sweep && (
        <p className="hint" data-testid="sweep-settings" data-solver={sweep.params.solver}>
          {describeRun(sweep.params, { nfe: false })}
        </p>
      )}
      {!rows ? (
        <p className="hint">Runs after each sample when the sweep is switched on.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">model</th>
              {rows.map((r) => (
                <th scope="col" key={r.nfe}>
                  NFE {r.nfe}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {/* No baseline row for a QAC model loaded alone. */}
            {(rows[0]?.baseline ? (['qac', 'baseline'] as const) : (['qac'] as const)).map((m) => (
              <tr key={m}>
                <th scope="row">{slotLabel(m, info)}</th>
                {rows.map((r) => (
                  <td key={r.nfe}>
                    <ImageCanvas
                      data={r[m]}
                      shape={shape}
                      count={1}
                      size={56}
                      label={`${m} at NFE ${r.nfe}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
