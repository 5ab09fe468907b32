import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleTemps, writeFileAtomic } from './atomic';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from './npy';
import { encodePngGrid } from './png-grid';
import { spaceAt } from './space';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-io-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sample: Checkpoint = {
  meta: { step: 42, config: { lr: 2e-4, dataset: 'mnist' }, rng: [1, 2, 3, 4] },
  tensors: {
    'unet.conv0.w': { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-8, -7]) },
    weights: { shape: [4], data: new Float32Array([0.4, 0.3, 0.2, 0.1]) },
    empty: { shape: [0], data: new Float32Array(0) },
  },
};

describe('checkpoints', () => {
  it('round-trips meta and tensors exactly', async () => {
    const path = join(dir, 'round.ckpt');
    await writeCheckpoint(path, sample);
    expect(await readCheckpoint(path)).toEqual(sample);
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('reports truncated and corrupted files clearly', async () => {
    const path = join(dir, 'bad.ckpt');
    await writeCheckpoint(path, sample);
    const good = await readFile(path);
    await truncate(path, good.length - 3);
    await expect(readCheckpoint(path)).rejects.toThrow(/bad\.ckpt: truncated or padded blob/);
    await truncate(path, 40);
    await expect(readCheckpoint(path)).rejects.toThrow(/bad\.ckpt: truncated inside the header/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5]! ^= 0x40;
    await writeFile(path, flipped);
    await expect(readCheckpoint(path)).rejects.toThrow(
      /bad\.ckpt: corrupt data \(sha256 mismatch\)/,
    );
    await writeFile(path, 'hello world, not a checkpoint');
    await expect(readCheckpoint(path)).rejects.toThrow(/not a QAC checkpoint/);
    await expect(readCheckpoint(join(dir, 'absent.ckpt'))).rejects.toThrow(
      /absent\.ckpt: cannot read \(ENOENT\)/,
    );
  });

  it('refuses a tensor whose shape does not match its data', async () => {
    const bad = { meta: {}, tensors: { w: { shape: [3, 3], data: new Float32Array(8) } } };
    await expect(writeCheckpoint(join(dir, 'shape.ckpt'), bad)).rejects.toThrow(
      /tensor "w": shape \[3,3\]/,
    );
  });

  it('survives kill -9 in the middle of checkpoint writes', async () => {
    const path = join(dir, 'killed.ckpt');
    const child = fileURLToPath(new URL('./testing/checkpoint-writer.ts', import.meta.url));
    let previous = 0;
    let tornWrites = 0;
    for (let round = 0; round < 4; round++) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Wait for this run's second write to open its temp file (the first has completed by then),
      // then kill within a few milliseconds, while the temp file is being filled or synced.
      const announced: number[] = [];
      await new Promise<void>((resolve) => {
        proc.stdout.on('data', (d: Buffer) => {
          announced.push(
            ...d
              .toString()
              .trim()
              .split('\n')
              .map((l) => Number(l.split(' ')[1])),
          );
          if (announced.length !== 2) return;
          const poll = setInterval(async () => {
            const names = await readdir(dir);
            if (names.some((n) => n.startsWith(`.killed.ckpt.${proc.pid}.`))) {
              clearInterval(poll);
              setTimeout(resolve, Math.random() * 5);
            }
          }, 1);
        });
      });
      const exited = new Promise((resolve) => proc.on('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
      const ckpt = await readCheckpoint(path);
      const step = ckpt.meta.step as number;
      // The last complete checkpoint is the first write of this run, or the second if it finished.
      expect(step).toBeGreaterThanOrEqual(announced[0]!);
      expect(step).toBeGreaterThan(previous);
      expect(ckpt.tensors.params!.data.every((v) => v === step)).toBe(true);
      expect(ckpt.tensors.adamM!.data.every((v) => v === step)).toBe(true);
      previous = step;
      tornWrites += (await removeStaleTemps(path)).length;
    }
    // Most kills must have hit a write in progress, or this test proves nothing.
    expect(tornWrites).toBeGreaterThanOrEqual(2);
    expect((await readdir(dir)).filter((n) => n.startsWith('.killed.ckpt.'))).toEqual([]);
  });

  it('writeFileAtomic replaces a file whole', async () => {
    const path = join(dir, 'atomic.txt');
    await writeFileAtomic(path, new TextEncoder().encode('first'));
    await writeFileAtomic(path, [new TextEncoder().encode('sec'), new TextEncoder().encode('ond')]);
    expect(await readFile(path, 'utf8')).toBe('second');
  });
});

describe('npy', () => {
  it('round-trips float32 arrays with their shape and 64-byte aligned data', async () => {
    const data = new Float32Array(2 * 3 * 4).map((_, i) => i * 0.5 - 3);
    const path = join(dir, 'a.npy');
    await writeNpy(path, data, [2, 3, 4]);
    const raw = await readFile(path);
    expect(raw.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    expect((raw.length - data.byteLength) % 64).toBe(0);
    expect(raw.toString('latin1', 10, 80)).toContain("'shape': (2, 3, 4)");
    expect(await readNpy(path)).toEqual({ data, shape: [2, 3, 4] });
    expect(decodeNpy(encodeNpy(new Float32Array([7]), [1]), 'one').shape).toEqual([1]);
  });

  it('rejects mismatched shapes and truncated files', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(
      /shape \[2,3\] holds 6 values, got 5/,
    );
    const buf = encodeNpy(new Float32Array(6), [2, 3]);
    expect(() => decodeNpy(buf.subarray(0, buf.length - 4), 'cut.npy')).toThrow(
      /cut\.npy: holds 20 data bytes/,
    );
    expect(() => decodeNpy(Buffer.from('PK\x03\x04zipfile'), 'z.npy')).toThrow(
      /z\.npy: not a \.npy file/,
    );
  });
});

describe('png grid', () => {
  it('lays out grayscale images with padding and maps [-1, 1] to 0-255', () => {
    // Three 2x2 images: all -1, all 1, and a gradient.
    const batch = new Float32Array([-1, -1, -1, -1, 1, 1, 1, 1, -1, 0, 0.5, 2]);
    const png = PNG.sync.read(encodePngGrid(batch, [3, 1, 2, 2], { padding: 1, padValue: 0 }));
    expect([png.width, png.height]).toEqual([2 * 3 + 1, 2 * 3 + 1]);
    const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
    expect(at(0, 0)).toBe(0);
    expect(at(1, 1)).toBe(0);
    expect(at(4, 1)).toBe(255);
    expect([at(1, 4), at(2, 4), at(1, 5), at(2, 5)]).toEqual([0, 128, 191, 255]);
    expect(at(4, 4)).toBe(0);
  });

  it('draws RGB channels in place and refuses other channel counts', () => {
    const rgb = new Float32Array([1, -1, -1]);
    const png = PNG.sync.read(encodePngGrid(rgb, [1, 3, 1, 1], { padding: 0 }));
    expect(Array.from(png.data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(() => encodePngGrid(new Float32Array(2), [1, 2, 1, 1])).toThrow(/2 channels/);
  });
});

describe('free space', () => {
  it('measures a folder still to be created at its nearest existing ancestor', async () => {
    const at = await spaceAt(dir);
    const deeper = await spaceAt(join(dir, 'not', 'yet', 'made'));
    expect(deeper.block).toBe(at.block);
    // Same disk: the free space differs at most by what other writers did in between.
    expect(Math.abs(deeper.free - at.free)).toBeLessThan(64 * 1024 * 1024);
  });
});
