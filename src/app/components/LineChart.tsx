import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  x: number[];
  series: { label: string; values: number[]; color: string }[];
  xLabel: string;
  yLabel: string;
  title: string;
}

/** A small uPlot line chart; recreated when its data changes. */
export function LineChart({ x, series, xLabel, yLabel, title }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.min(520, el.clientWidth || 520);
    const plot = new uPlot(
      {
        width,
        height: 220,
        title,
        scales: { x: { time: false } },
        // Whole-number ticks on x: it counts steps.
        axes: [{ label: xLabel, incrs: [1, 2, 5, 10, 20, 50] }, { label: yLabel }],
        series: [
          { label: xLabel },
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    return () => plot.destroy();
  }, [x, series, xLabel, yLabel, title]);
  return <div ref={ref} className="chart" />;
}
