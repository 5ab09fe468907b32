import { useEffect, useRef } from 'react';
import { tensorToRgba } from '../images/tensor';
import type { MaskTool } from '../state/types';
import type { ImageShape } from '../../core';

interface Props {
  image: Float32Array;
  shape: ImageShape;
  mask: Uint8Array;
  tool: MaskTool;
  onChange: (mask: Uint8Array) => void;
}

/** Display width in CSS pixels. */
const SIZE = 224;

/** The input image with the inpainting mask in red; paint it with a brush or drag a rectangle. */
export function MaskCanvas({ image, shape, mask, tool, onChange }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const draft = useRef<Uint8Array>(mask);
  const { width: w, height: h } = shape;

  const draw = (m: Uint8Array) => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const rgba = tensorToRgba(image, shape);
    for (let p = 0; p < w * h; p++) {
      if (m[p]) {
        rgba[p * 4] = 255;
        rgba[p * 4 + 1] = rgba[p * 4 + 1] >> 2;
        rgba[p * 4 + 2] = rgba[p * 4 + 2] >> 2;
      }
    }
    ctx.putImageData(new ImageData(rgba, w, h), 0, 0);
  };

  useEffect(() => {
    draft.current = mask;
    draw(mask);
  });

  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return {
      x: Math.floor(((e.clientX - r.left) / r.width) * w),
      y: Math.floor(((e.clientY - r.top) / r.height) * h),
    };
  };
  const brush = (p: { x: number; y: number }) => {
    const radius = Math.max(1, Math.round(w / 12));
    for (let y = p.y - radius; y <= p.y + radius; y++) {
      for (let x = p.x - radius; x <= p.x + radius; x++) {
        if (x >= 0 && y >= 0 && x < w && y < h && (x - p.x) ** 2 + (y - p.y) ** 2 <= radius ** 2)
          draft.current[y * w + x] = 1;
      }
    }
  };
  const rect = (a: { x: number; y: number }, b: { x: number; y: number }) => {
    const m = new Uint8Array(w * h);
    for (let y = Math.max(0, Math.min(a.y, b.y)); y <= Math.min(h - 1, Math.max(a.y, b.y)); y++) {
      for (let x = Math.max(0, Math.min(a.x, b.x)); x <= Math.min(w - 1, Math.max(a.x, b.x)); x++)
        m[y * w + x] = 1;
    }
    return m;
  };

  return (
    <canvas
      ref={ref}
      className="pixels drawable"
      width={w}
      height={h}
      style={{ width: SIZE, height: (SIZE * h) / w }}
      data-testid="edit-mask"
      role="img"
      aria-label={`Mask editor (${tool}): red pixels are regenerated`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = at(e);
        draft.current = tool === 'brush' ? mask.slice() : rect(start.current, start.current);
        if (tool === 'brush') brush(start.current);
        draw(draft.current);
      }}
      onPointerMove={(e) => {
        if (!start.current) return;
        if (tool === 'brush') brush(at(e));
        else draft.current = rect(start.current, at(e));
        draw(draft.current);
      }}
      onPointerUp={() => {
        if (!start.current) return;
        start.current = null;
        onChange(draft.current.slice());
      }}
    />
  );
}

/** The default mask: the centre quarter of the image. */
export function centreMask(shape: ImageShape): Uint8Array {
  const { width: w, height: h } = shape;
  const m = new Uint8Array(w * h);
  for (let y = Math.floor(h / 4); y < Math.ceil((3 * h) / 4); y++) {
    for (let x = Math.floor(w / 4); x < Math.ceil((3 * w) / 4); x++) m[y * w + x] = 1;
  }
  return m;
}
