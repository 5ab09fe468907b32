import { useEffect, useRef } from 'react';
import { rgbaToTensor } from '../images/tensor';
import type { ImageShape } from '../../core';

interface Props {
  shape: ImageShape;
  onDone: (tensor: Float32Array) => void;
}

/** Display width in CSS pixels. */
const SIZE = 168;

/** A small canvas at the model's size to draw white strokes on black with a pointer. */
export function DrawPad({ shape, onDone }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, shape.width, shape.height);
  }, [shape]);
  const paint = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !drawing.current) return;
    const r = canvas.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * shape.width;
    const y = ((e.clientY - r.top) / r.height) * shape.height;
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(x, y, Math.max(1, shape.width / 14), 0, Math.PI * 2);
    ctx.fill();
  };
  const finish = () => {
    const ctx = ref.current?.getContext('2d');
    if (!drawing.current || !ctx) return;
    drawing.current = false;
    onDone(rgbaToTensor(ctx.getImageData(0, 0, shape.width, shape.height).data, shape));
  };
  const clear = () => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, shape.width, shape.height);
  };
  return (
    <div className="drawpad">
      <canvas
        ref={ref}
        className="pixels drawable"
        width={shape.width}
        height={shape.height}
        style={{ width: SIZE, height: (SIZE * shape.height) / shape.width }}
        role="img"
        aria-label="Drawing pad: draw with the mouse or a finger"
        onPointerDown={(e) => {
          drawing.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          paint(e);
        }}
        onPointerMove={paint}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <button type="button" onClick={clear}>
        Clear pad
      </button>
    </div>
  );
}
