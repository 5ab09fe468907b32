import { useMemo } from 'react';
import { LineChart } from '../components/LineChart';
import { Panel } from '../components/Panel';
import { useApp } from '../state/context';
import { describeRun } from '../state/describe';
import type { Trajectory } from '../worker/protocol';

const COLOURS = { qac: '#c2410c', baseline: '#2563eb' };

/** Both trajectories in the plane of x_T and x_0: the chord is the straight path. */
function PlanePlot({ qac, baseline }: { qac: Trajectory; baseline: Trajectory | null }) {
  const shown = baseline ? [qac, baseline] : [qac];
  const all = shown.flatMap((t) => t.plane);
  const minA = Math.min(...all.map((p) => p.a));
  const maxA = Math.max(...all.map((p) => p.a));
  const minB = Math.min(...all.map((p) => p.b), 0);
  const maxB = Math.max(...all.map((p) => p.b), 0);
  const pad = 0.05 * Math.max(maxA - minA, maxB - minB, 1e-6);
  const view = `${minA - pad} ${-(maxB + pad)} ${maxA - minA + 2 * pad} ${maxB - minB + 2 * pad}`;
  const path = (t: Trajectory) => t.plane.map((p) => `${p.a},${-p.b}`).join(' ');
  return (
    <svg
      className="plane"
      viewBox={view}
      preserveAspectRatio="none"
      role="img"
      aria-label="Trajectories in the plane spanned by x_T and x_0"
    >
      {shown.map((t, i) => (
        // The chord from this model's x_T to its x_0: where a straight path would run.
        <line
          key={i}
          x1={t.plane[0].a}
          y1={0}
          x2={t.plane[t.plane.length - 1].a}
          y2={0}
          stroke="#999"
          strokeWidth={1}
          strokeDasharray="4"
          vectorEffect="non-scaling-stroke"
        />
      ))}
      {shown.map((t, i) => (
        <polyline
          key={i}
          points={path(t)}
          fill="none"
          stroke={i === 0 ? COLOURS.qac : COLOURS.baseline}
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
        />
      ))}
    </svg>
  );
}

export function CurvaturePanel() {
  const sample = useApp((s) => s.sample);
  const series = useMemo(
    () =>
      sample
        ? [
            { label: 'QAC', values: sample.qac.trajectory.curvature, color: COLOURS.qac },
            ...(sample.baseline
              ? [
                  {
                    label: 'baseline',
                    values: sample.baseline.trajectory.curvature,
                    color: COLOURS.baseline,
                  },
                ]
              : []),
          ]
        : [],
    [sample],
  );
  const x = useMemo(
    () => (sample ? sample.qac.trajectory.curvature.map((_, i) => i) : []),
    [sample],
  );
  // Null for a QAC model loaded alone: the baseline's numbers and path are left out.
  const base = sample?.baseline ?? null;
  return (
    <Panel
      id="curvature"
      title="Trajectory curvature"
      explainer="How far each step's direction strays from the straight line x_T to x_0 (0 = straight). Straight paths are what let few-step solvers work."
    >
      <div data-testid="curvature-plot">
        {!sample ? (
          <p className="hint">Sample to measure the trajectories.</p>
        ) : (
          <>
            <p className="hint" data-testid="curvature-settings">
              {describeRun(sample.params)}
            </p>
            <LineChart
              x={x}
              series={series}
              xLabel="step"
              yLabel="||d - u||² / ||u||²"
              title="Per-step curvature (first sample)"
            />
            <p>
              Trajectory curvature: QAC{' '}
              <strong data-testid="curvature-qac">
                {sample.qac.trajectory.total.toPrecision(4)}
              </strong>
              {base && (
                <>
                  , baseline{' '}
                  <strong data-testid="curvature-baseline">
                    {base.trajectory.total.toPrecision(4)}
                  </strong>
                </>
              )}
            </p>
            <div
              className="scroll"
              role="region"
              aria-label="Per-step curvature numbers"
              tabIndex={0}
            >
              <table className="numbers">
                <thead>
                  <tr>
                    <th scope="col">step</th>
                    <th scope="col">sigma</th>
                    <th scope="col">QAC</th>
                    {base && <th scope="col">baseline</th>}
                    <th scope="col">QAC 1-cos</th>
                    {base && <th scope="col">baseline 1-cos</th>}
                  </tr>
                </thead>
                <tbody>
                  {x.map((i) => (
                    <tr key={i}>
                      <td>{i}</td>
                      <td>{sample.qac.trajectory.sigmas[i].toPrecision(3)}</td>
                      <td>{sample.qac.trajectory.curvature[i].toPrecision(3)}</td>
                      {base && <td>{base.trajectory.curvature[i].toPrecision(3)}</td>}
                      <td>{sample.qac.trajectory.cosine[i].toPrecision(3)}</td>
                      {base && <td>{base.trajectory.cosine[i].toPrecision(3)}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>Paths in the plane of x_T and x_0</h3>
            <PlanePlot qac={sample.qac.trajectory} baseline={base?.trajectory ?? null} />
            <p className="hint">
              Dashed: the straight chord from x_T (left) to each model's x_0; orange QAC, blue
              baseline. The axes are scaled separately, so bends look larger than they are.
            </p>
          </>
        )}
      </div>
    </Panel>
  );
}
