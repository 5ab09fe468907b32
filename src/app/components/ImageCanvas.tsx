import { useEffect, useRef } from 'react';
import { tensorToRgba } from '../images/tensor';
import type { ImageShape } from '../../core';

interface Props {
  /** count images [count, C, H, W] in [-1, 1]. */
  data: Float32Array | null;
  shape: ImageShape;
  count: number;
  cols?: number;
  /** Display width of one image in CSS pixels (scaled by a whole factor, without smoothing). */
  size?: number;
  label: string;
  testId?: string;
}

/**
 * A batch of images tiled onto one canvas at their native resolution, so the canvas pixels are the
 * sample pixels; CSS scales it up without smoothing.
 */
export function ImageCanvas({
  data,
  shape,
  count,
  cols = count,
  size = 112,
  label,
  testId,
}: Props) {
  const zoom = Math.max(1, Math.round(size / shape.width));
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = Math.ceil(count / cols);
  const width = cols * shape.width;
  const height = rows * shape.height;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    if (!data) return;
    for (let k = 0; k < count; k++) {
      const img = new ImageData(tensorToRgba(data, shape, k), shape.width, shape.height);
      ctx.putImageData(img, (k % cols) * shape.width, Math.floor(k / cols) * shape.height);
    }
  }, [data, shape, count, cols, width, height]);
  return (
    <canvas
      ref={ref}
      className="pixels"
      width={width}
      height={height}
      // Height follows the canvas's aspect ratio, so max-width can shrink it without distortion.
      style={{ width: width * zoom }}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-ready={data ? 'true' : 'false'}
    />
  );
}
