import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** One value per x; null leaves a gap (the line joins the points either side). */
  values: (number | null)[];
  color: string;
  /** Stroke dash pattern in px, e.g. [6, 4]; solid when absent. */
  dash?: number[];
}

interface Props {
  x: number[];
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  title: string;
  /** A log10 y axis, for values spanning orders of magnitude (errors). */
  logY?: boolean;
  /** uPlot's legend under the plot; off where the page draws a compact one itself. */
  legend?: boolean;
  testId?: string;
}

// Whole-number ticks on x (it counts steps or NFEs): 1-2-5 steps up to a long training run's.
const STEP_INCREMENTS = [1, 10, 100, 1000, 10_000].flatMap((p) => [1, 2, 5].map((m) => m * p));

/**
 * A small uPlot line chart. The plot is built again when its series or axes change; new values for
 * the same series only replace its data, so a chart that fills in point by point stays cheap.
 */
export function LineChart({
  x,
  series,
  xLabel,
  yLabel,
  title,
  logY,
  legend = true,
  testId,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const look = JSON.stringify(series.map((s) => [s.label, s.color, s.dash ?? null]));
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const lines: [string, string, number[] | null][] = JSON.parse(look);
    const width = Math.min(520, el.clientWidth || 520);
    const p = new uPlot(
      {
        width,
        height: 220,
        title,
        legend: { show: legend },
        scales: { x: { time: false }, ...(logY ? { y: { distr: 3 } } : {}) },
        axes: [{ label: xLabel, incrs: STEP_INCREMENTS }, { label: yLabel }],
        series: [
          { label: xLabel },
          ...lines.map(([label, stroke, dash]) => ({
            label,
            stroke,
            width: 2,
            dash: dash ?? undefined,
            spanGaps: true,
          })),
        ],
      },
      [[], ...lines.map(() => [])],
      el,
    );
    plot.current = p;
    return () => {
      p.destroy();
      plot.current = null;
    };
  }, [look, xLabel, yLabel, title, logY, legend]);
  // Declared after the plot's effect, so a rebuilt plot gets its data in the same commit.
  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)]);
  }, [x, series, look, xLabel, yLabel, title, logY, legend]);
  return <div ref={ref} className="chart" data-testid={testId} />;
}
