import { memo, useMemo } from 'react';
import { SOLVERS, type ImageShape } from '../../core';
import { ImageCanvas } from '../components/ImageCanvas';
import { LineChart } from '../components/LineChart';
import { Panel } from '../components/Panel';
import { labSheet } from '../images/exports';
import { download } from '../images/npy';
import { useApp } from '../state/context';
import { labChart, labKey, solverColour, type LabSlot } from '../state/lab';
import type { LabCell } from '../worker/protocol';

const LabCellView = memo(function LabCellView({
  slot,
  cell,
  shape,
  baseline,
}: {
  slot: LabSlot;
  cell: LabCell | undefined;
  shape: ImageShape;
  /** Whether the pair has a baseline (a QAC model can be loaded alone). */
  baseline: boolean;
}) {
  const name = `${slot.solver} at NFE ${slot.nfe}`;
  return (
    <td
      className="lab-cell"
      data-testid="lab-cell"
      data-solver={slot.solver}
      data-nfe={slot.nfe}
      data-column={slot.column}
      data-done={cell ? 'true' : 'false'}
      data-seed={cell?.seed ?? ''}
      data-error-qac={cell?.errorQac ?? ''}
      data-error-baseline={cell?.errorBaseline ?? ''}
    >
      <div className="row">
        <ImageCanvas
          data={cell?.qac ?? null}
          shape={shape}
          count={1}
          size={56}
          label={`QAC, ${name}`}
        />
        {baseline && (
          <ImageCanvas
            data={cell?.baseline ?? null}
            shape={shape}
            count={1}
            size={56}
            label={`Baseline, ${name}`}
          />
        )}
      </div>
      <span className="hint">
        {slot.nfe !== slot.column && `NFE ${slot.nfe}: `}
        {cell
          ? `${cell.errorQac.toFixed(3)}${cell.errorBaseline === null ? '' : ` | ${cell.errorBaseline.toFixed(3)}`}`
          : '…'}
      </span>
    </td>
  );
});

function LabChart() {
  const lab = useApp((s) => s.lab);
  const data = useMemo(() => (lab ? labChart(lab.layout, lab.cells) : null), [lab]);
  if (!lab || !data) return null;
  return (
    <figure>
      <LineChart
        x={data.x}
        series={data.series}
        xLabel="NFE"
        yLabel="RMSE to reference"
        title="Error against NFE (QAC solid, baseline dashed)"
        logY
        legend={false}
        testId="lab-chart"
      />
      <figcaption>
        <ul className="legend">
          {lab.layout.map((row) => (
            <li key={row[0].solver}>
              <span className="swatch" style={{ background: solverColour(row[0].solver) }} />
              {SOLVERS[row[0].solver].label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

export function LabPanel() {
  const shape = useApp((s) => s.pairInfo?.shape);
  const hasBaseline = useApp((s) => s.pairInfo?.baselineName != null);
  const lab = useApp((s) => s.lab);
  const busy = useApp((s) => s.labBusy);
  const error = useApp((s) => s.labError);
  if (!shape) return null;
  const p = lab?.params;
  return (
    <Panel
      id="lab"
      title="Solver lab"
      explainer="Every solver at every budget on one x_T and one code: how far sample 0 is from a converged run, for QAC and the baseline. The gap between the solid and the dashed line is what the code buys at that NFE."
    >
      {p && (
        <p className="hint" data-testid="lab-settings">
          Seed {p.seed}, {p.code === null ? "the seed's drawn code" : `code ${p.code}`}
          {lab.reference && ` (${lab.reference.code})`}, grid end{' '}
          {p.gridEnd === 'zero' ? 'sigma = 0' : 'sigma_min'}
          {p.afs ? ', AFS for the solvers that take it' : ''}. Reference: DPM++(2M) at NFE 100 on
          the same grid end, from the same x_T. Error: RMSE in [-1, 1] pixel units (QAC | baseline).
          Solver, NFE and batch do not apply here.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {lab && (
        <p className="progress" role="status" aria-live="polite">
          {busy || lab.filled < lab.total
            ? `${lab.filled} of ${lab.total} cells`
            : `All ${lab.total} cells in ${((lab.fillMs ?? 0) / 1000).toFixed(1)} s`}
          <progress max={lab.total} value={lab.filled} />
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          data-testid="export-lab-png"
          disabled={!lab || lab.filled === 0}
          onClick={() => {
            if (!lab) return;
            void labSheet(lab, shape).then((png) =>
              download(png, `solver-lab-seed${lab.params.seed}.png`, 'image/png'),
            );
          }}
        >
          Download the grid (.png)
        </button>
      </div>
      {lab && (
        <div className="lab">
          <div className="scroll" role="region" aria-label="Solver by NFE grid" tabIndex={0}>
            <table
              data-testid="lab-grid"
              data-filled={lab.filled}
              data-total={lab.total}
              data-seed={lab.params.seed}
              data-busy={busy ? 'true' : 'false'}
              data-fill-ms={lab.fillMs ?? ''}
            >
              <thead>
                <tr>
                  <th scope="col">solver</th>
                  {lab.layout[0]?.map((slot) => (
                    <th key={slot.column} scope="col">
                      NFE {slot.column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lab.layout.map((row) => (
                  <tr key={row[0].solver}>
                    <th scope="row">{SOLVERS[row[0].solver].label}</th>
                    {row.map((slot) => (
                      <LabCellView
                        key={slot.column}
                        slot={slot}
                        cell={lab.cells[labKey(slot)]}
                        shape={shape}
                        baseline={hasBaseline}
                      />
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">reference</th>
                  <td colSpan={lab.layout[0]?.length ?? 1}>
                    <div className="row">
                      <ImageCanvas
                        data={lab.reference?.qac ?? null}
                        shape={shape}
                        count={1}
                        size={56}
                        label="QAC reference, DPM++(2M) at NFE 100"
                      />
                      {hasBaseline && (
                        <ImageCanvas
                          data={lab.reference?.baseline ?? null}
                          shape={shape}
                          count={1}
                          size={56}
                          label="Baseline reference, DPM++(2M) at NFE 100"
                        />
                      )}
                      <span className="hint">DPM++(2M), NFE 100</span>
                    </div>
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          <LabChart />
        </div>
      )}
    </Panel>
  );
}
