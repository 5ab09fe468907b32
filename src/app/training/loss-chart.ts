import type { ChartSeries } from '../components/LineChart';
import type { LossHistory } from './protocol';

const LOSS_COLOURS = { qac: '#c2410c', baseline: '#2563eb' } as const;
const RAW_COLOURS = { qac: '#f5b48f', baseline: '#a9c1f5' } as const;

/**
 * Smoothing of the chart's bold lines: an exponential moving average over about 1 / (1 - 0.9) =
 * 10 steps, bias-corrected so the first steps are not pulled towards 0 (as TensorBoard does).
 */
const SMOOTHING = 0.9;

export function smoothed(values: readonly number[], beta = SMOOTHING): number[] {
  let m = 0;
  return values.map((v, k) => {
    m = beta * m + (1 - beta) * v;
    return m / (1 - beta ** (k + 1));
  });
}

/** The loss chart's x (steps from 1) and series: each model's raw loss, thin, and smoothed. */
export function lossChart(losses: LossHistory): { x: number[]; series: ChartSeries[] } {
  const x = losses.qac.map((_, k) => k + 1);
  return {
    x,
    series: [
      { label: 'QAC (raw)', values: losses.qac, color: RAW_COLOURS.qac },
      { label: 'baseline (raw)', values: losses.baseline, color: RAW_COLOURS.baseline },
      { label: 'QAC', values: smoothed(losses.qac), color: LOSS_COLOURS.qac },
      { label: 'baseline', values: smoothed(losses.baseline), color: LOSS_COLOURS.baseline },
    ],
  };
}
