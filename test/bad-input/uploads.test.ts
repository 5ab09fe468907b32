// Uploads: the inspector the app runs before createImageBitmap tells an empty, a damaged (cut
// short, bad header) and a too-large image apart, on real encoded files. (e2e/bad-input.spec.ts
// sends some of the same files through the page.)
import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  checkUploadSize,
  inspectImage,
  UPLOAD_LIMITS,
  UploadError,
} from '../../src/app/images/inspect';
import { hugePng } from './images';

const png = (w: number, h: number) => {
  const image = new PNG({ width: w, height: h });
  image.data.fill(180);
  return new Uint8Array(PNG.sync.write(image));
};
const jpg = (w: number, h: number) =>
  new Uint8Array(jpeg.encode({ data: Buffer.alloc(w * h * 4, 120), width: w, height: h }, 90).data);

/** inspectImage's message for `bytes`, checking the bytes themselves were left alone. */
function refusal(bytes: Uint8Array, name = '"upload"'): string {
  const before = createHash('sha256').update(bytes).digest('hex');
  let message = '';
  try {
    inspectImage(bytes, name);
  } catch (e) {
    if (!(e instanceof UploadError)) throw e;
    message = e.message;
  }
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(before);
  return message;
}

describe('uploads: what is wrong with the file', () => {
  it('reads the format and size of good PNG and JPEG files', () => {
    expect(inspectImage(png(60, 40), 'x')).toEqual({ format: 'PNG', width: 60, height: 40 });
    expect(inspectImage(jpg(33, 17), 'x')).toEqual({ format: 'JPEG', width: 33, height: 17 });
  });

  it('a zero-byte file is empty', () => {
    expect(refusal(new Uint8Array(0), '"blank.png"')).toBe(
      '"blank.png" is empty (0 bytes): choose another file',
    );
  });

  it('a PNG cut in half, or after its signature, is damaged', () => {
    const whole = png(64, 64);
    expect(refusal(whole.subarray(0, whole.length / 2))).toMatch(
      /is damaged: the PNG data ends early \(truncated file\?\)/,
    );
    expect(refusal(whole.subarray(0, 8))).toMatch(/is damaged: the PNG header ends early/);
  });

  it('a JPEG cut short is damaged, before and after its scan starts', () => {
    const whole = jpg(64, 64);
    expect(refusal(whole.subarray(0, whole.length - 40))).toMatch(
      /is damaged: the JPEG data ends early/,
    );
    expect(refusal(whole.subarray(0, 30))).toMatch(/is damaged: the JPEG data ends early/);
  });

  it('a 30000x30000 PNG (a valid file of 100 kB) is too large to decode', () => {
    expect(refusal(hugePng(30_000, 30_000), '"huge.png"')).toBe(
      `"huge.png" is too large: 30000x30000 pixels (at most ${UPLOAD_LIMITS.side} on a side and 50 megapixels); scale it down first`,
    );
  });

  it('a file over the byte limit is refused by its size alone', () => {
    expect(() => checkUploadSize(100 * 1024 * 1024, '"scan.tiff"')).toThrow(
      '"scan.tiff" is too large: 100.0 MB (at most 64.0 MB)',
    );
  });

  it('a PNG header claiming 0x0 pixels is damaged', () => {
    const bytes = png(4, 4);
    bytes.fill(0, 16, 24);
    expect(refusal(bytes)).toMatch(/is damaged: its PNG header says 0x0/);
  });

  it('cut-short GIF, WebP and BMP files are damaged', () => {
    const gif = new TextEncoder().encode('GIF89a\x10\x00');
    expect(refusal(gif)).toMatch(/is damaged: the GIF header ends early/);
    const webp = new Uint8Array(40);
    webp.set(new TextEncoder().encode('RIFF'), 0);
    new DataView(webp.buffer).setUint32(4, 5000, true);
    webp.set(new TextEncoder().encode('WEBPVP8 '), 8);
    expect(refusal(webp)).toMatch(/is damaged: the WebP data ends early/);
    const bmp = new Uint8Array(60);
    bmp.set(new TextEncoder().encode('BM'), 0);
    new DataView(bmp.buffer).setUint32(2, 4000, true);
    expect(refusal(bmp)).toMatch(/is damaged: the BMP data ends early/);
  });

  it('a JPEG whose scan has no frame header is damaged', () => {
    // SOI, then straight to a start-of-scan segment.
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00, 0xff, 0xd9]);
    expect(refusal(bytes)).toMatch(/is damaged: its JPEG data has no frame header/);
  });

  it('leaves formats it does not know (text, AVIF) to the browser', () => {
    expect(inspectImage(new TextEncoder().encode('definitely not pixels'), 'x')).toBeNull();
  });
});
