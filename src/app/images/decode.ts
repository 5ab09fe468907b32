import type { ImageShape } from '../../core';
import { checkUploadSize, inspectImage, UploadError } from './inspect';
import { rgbaToTensor } from './tensor';

export interface DecodedInput {
  tensor: Float32Array;
  /** Says what was done to fit the model (crop, resize), or null when nothing was. */
  notice: string | null;
}

/**
 * Decodes any image file the browser can read; anything else is rejected with a message that says
 * whether the file is empty, damaged, too large or not an image at all.
 */
export async function decodeUpload(file: File, shape: ImageShape): Promise<DecodedInput> {
  const what = `"${file.name}"`;
  // The size alone refuses a huge file before it is read into memory.
  checkUploadSize(file.size, what);
  const header = inspectImage(new Uint8Array(await file.arrayBuffer()), what);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    if (header) {
      throw new UploadError(
        `${what} is damaged: this browser could not decode its ${header.format} data`,
      );
    }
    const type = file.type || 'unknown type';
    throw new UploadError(
      `${what} (${type}) is not an image this browser can read: choose a PNG, JPEG, GIF, WebP or BMP file`,
    );
  }
  try {
    return fitBitmap(bitmap, shape, `"${file.name}"`);
  } finally {
    bitmap.close();
  }
}

/** Centre-crops to the model's aspect ratio, then resizes to its size. */
function fitBitmap(bitmap: ImageBitmap, shape: ImageShape, what: string): DecodedInput {
  const { width: w, height: h } = shape;
  const scale = Math.min(bitmap.width / w, bitmap.height / h);
  const cw = Math.round(w * scale);
  const ch = Math.round(h * scale);
  const sx = Math.floor((bitmap.width - cw) / 2);
  const sy = Math.floor((bitmap.height - ch) / 2);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser has no 2D canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, sx, sy, cw, ch, 0, 0, w, h);
  const notes: string[] = [];
  if (cw !== bitmap.width || ch !== bitmap.height) {
    notes.push(`cropped from ${bitmap.width}x${bitmap.height} to ${cw}x${ch}`);
  }
  if (cw !== w || ch !== h) notes.push(`resized to ${w}x${h}`);
  if (shape.channels === 1) notes.push('converted to grayscale');
  return {
    tensor: rgbaToTensor(ctx.getImageData(0, 0, w, h).data, shape),
    notice: notes.length > 0 ? `${what} was ${notes.join(', ')} to fit the model.` : null,
  };
}

/** Tile k of a row of examples (the catalog's examples PNG). */
export async function exampleTile(
  url: string,
  k: number,
  shape: ImageShape,
): Promise<{ tensor: Float32Array; index: number; count: number }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const bitmap = await createImageBitmap(await res.blob());
  try {
    const count = Math.floor(bitmap.width / shape.width);
    if (bitmap.height !== shape.height || count < 1) {
      throw new Error(
        `${url}: expected a row of ${shape.width}x${shape.height} tiles, got ${bitmap.width}x${bitmap.height}`,
      );
    }
    const canvas = new OffscreenCanvas(shape.width, shape.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser has no 2D canvas');
    // Past the end means the last one (the settings' rule for every out-of-range value).
    const index = Math.min(Math.max(0, k), count - 1);
    ctx.drawImage(bitmap, -index * shape.width, 0);
    const tensor = rgbaToTensor(ctx.getImageData(0, 0, shape.width, shape.height).data, shape);
    return { tensor, index, count };
  } finally {
    bitmap.close();
  }
}
