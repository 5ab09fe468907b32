/**
 * Reads an uploaded file's bytes far enough to say what is wrong with it before the browser tries
 * to decode it: createImageBitmap only says "cannot decode", which is the same for an empty file,
 * a truncated download and a 30000x30000 image that would take gigabytes to decode.
 */

/** What an upload may be: a decoded RGBA copy of the largest takes ~200 MB. */
export const UPLOAD_LIMITS = {
  bytes: 64 * 1024 * 1024,
  side: 16_384,
  pixels: 50_000_000,
} as const;

type ImageFormat = 'PNG' | 'JPEG' | 'GIF' | 'WebP' | 'BMP';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** An upload refused with a message meant for the user. */
export class UploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Thrown by the format readers; `inspectImage` words it for the file. */
class Damaged extends Error {}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) | (b[i + 1]! << 16) | u16be(b, i + 2)) >>> 0;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | (b[i + 2]! << 16);
const u32le = (b: Uint8Array, i: number) => (u24le(b, i) | (b[i + 3]! << 24)) >>> 0;
const i32le = (b: Uint8Array, i: number) => u24le(b, i) | (b[i + 3]! << 24);
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function need(b: Uint8Array, end: number, what: string): void {
  if (b.length < end) throw new Damaged(`the ${what} ends early (truncated file?)`);
}

/** Every chunk must fit and the last must be IEND; IHDR (first) holds the size. */
function png(b: Uint8Array): ImageHeader {
  need(b, 33, 'PNG header');
  if (ascii(b, 12, 4) !== 'IHDR') throw new Damaged('its PNG header is invalid (no IHDR)');
  const header = { format: 'PNG' as const, width: u32be(b, 16), height: u32be(b, 20) };
  for (let at = 8; ;) {
    need(b, at + 8, 'PNG data');
    const end = at + 12 + u32be(b, at);
    need(b, end, 'PNG data');
    if (ascii(b, at + 4, 4) === 'IEND') return header;
    at = end;
  }
}

/** Segments up to the scan must fit; SOFn holds the size; the scan must end with EOI. */
function jpeg(b: Uint8Array): ImageHeader {
  let size: { width: number; height: number } | null = null;
  for (let at = 2; ;) {
    need(b, at + 4, 'JPEG data');
    if (b[at] !== 0xff) throw new Damaged('its JPEG segments are invalid');
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const end = at + 2 + u16be(b, at + 2);
    need(b, end, 'JPEG data');
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isSof) size = { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    if (marker === 0xda) {
      if (!size) throw new Damaged('its JPEG data has no frame header');
      // Entropy-coded data escapes every 0xFF, so the first FF D9 after the scan is the end.
      for (let i = end; i + 1 < b.length; i++)
        if (b[i] === 0xff && b[i + 1] === 0xd9) return { format: 'JPEG', ...size };
      throw new Damaged('the JPEG data ends early (truncated file?)');
    }
    at = end;
  }
}

function gif(b: Uint8Array): ImageHeader {
  need(b, 13, 'GIF header');
  return { format: 'GIF', width: u16le(b, 6), height: u16le(b, 8) };
}

function webp(b: Uint8Array): ImageHeader {
  need(b, 30, 'WebP header');
  need(b, 8 + u32le(b, 4), 'WebP data');
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ')
    return { format: 'WebP', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return { format: 'WebP', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X')
    return { format: 'WebP', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  throw new Damaged(`its WebP data starts with an unknown chunk "${chunk}"`);
}

function bmp(b: Uint8Array): ImageHeader {
  need(b, 26, 'BMP header');
  need(b, u32le(b, 2), 'BMP data');
  if (u32le(b, 14) === 12) return { format: 'BMP', width: u16le(b, 18), height: u16le(b, 20) };
  return { format: 'BMP', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
}

const FORMATS: { magic: (b: Uint8Array) => boolean; read: (b: Uint8Array) => ImageHeader }[] = [
  { magic: (b) => u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a, read: png },
  { magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, read: jpeg },
  { magic: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a', read: gif },
  { magic: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP', read: webp },
  { magic: (b) => ascii(b, 0, 2) === 'BM', read: bmp },
];

/** Refuses an empty file, or one too large to read, by its size alone. */
export function checkUploadSize(bytes: number, what: string): void {
  if (bytes === 0) throw new UploadError(`${what} is empty (0 bytes): choose another file`);
  if (bytes > UPLOAD_LIMITS.bytes) {
    throw new UploadError(
      `${what} is too large: ${mb(bytes)} (at most ${mb(UPLOAD_LIMITS.bytes)})`,
    );
  }
}

/**
 * The format and size of an image file's bytes, or null for a format this reader does not know
 * (the browser may still decode it, e.g. AVIF). Throws an UploadError naming `what` when the file
 * is empty, damaged (cut short, invalid header) or too large to decode.
 */
export function inspectImage(bytes: Uint8Array, what: string): ImageHeader | null {
  checkUploadSize(bytes.length, what);
  const format = FORMATS.find((f) => f.magic(bytes));
  if (!format) return null;
  let header: ImageHeader;
  try {
    header = format.read(bytes);
  } catch (e) {
    if (!(e instanceof Damaged)) throw e;
    throw new UploadError(`${what} is damaged: ${e.message}`);
  }
  const { width, height } = header;
  if (width === 0 || height === 0) {
    throw new UploadError(
      `${what} is damaged: its ${header.format} header says ${width}x${height}`,
    );
  }
  if (
    width > UPLOAD_LIMITS.side ||
    height > UPLOAD_LIMITS.side ||
    width * height > UPLOAD_LIMITS.pixels
  ) {
    throw new UploadError(
      `${what} is too large: ${width}x${height} pixels (at most ${UPLOAD_LIMITS.side} on a side and ${UPLOAD_LIMITS.pixels / 1e6} megapixels); scale it down first`,
    );
  }
  return header;
}
