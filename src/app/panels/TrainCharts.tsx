import { useMemo } from 'react';
import { ImageCanvas } from '../components/ImageCanvas';
import { LineChart } from '../components/LineChart';
import { lossChart } from '../training/loss-chart';
import { useApp } from '../state/context';

/** QAC and baseline loss per step: raw (light) and smoothed (bold). */
export function TrainLossChart() {
  const losses = useApp((s) => s.trainLosses);
  const data = useMemo(() => lossChart(losses), [losses]);
  if (data.x.length === 0) return null;
  return (
    <figure data-testid="train-loss-chart" data-points={data.x.length}>
      <LineChart
        x={data.x}
        series={data.series}
        xLabel="step"
        yLabel="loss"
        title="Training loss (light: each step; bold: smoothed)"
        logY
      />
    </figure>
  );
}

/** The run's data: what it is, how many images, and the first few as the model sees them. */
export function TrainDataView() {
  const data = useApp((s) => s.trainData);
  if (!data) return null;
  const { channels, height, width } = data.shape;
  return (
    <figure>
      <ImageCanvas
        data={data.preview}
        shape={data.shape}
        count={data.previewCount}
        cols={data.previewCount}
        size={2 * width}
        label={`The first ${data.previewCount} training images`}
        testId="train-data-preview"
      />
      <figcaption
        data-testid="train-data-info"
        data-name={data.name}
        data-count={data.count}
        data-shape={`${channels}x${height}x${width}`}
      >
        Training data: {data.source}; {data.count} images ({channels}x{height}x{width}, 10% held
        out)
      </figcaption>
    </figure>
  );
}
