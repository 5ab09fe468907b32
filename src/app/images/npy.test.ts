import { describe, expect, it } from 'vitest';
import { npyBytes } from './npy';

describe('npy writer', () => {
  it('writes a 64-byte aligned v1.0 header with the shape and the raw float32 data', () => {
    const data = new Float32Array([1.5, -2, 3.25, 0, 7, 8]);
    const bytes = npyBytes(data, [2, 1, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (2, 1, 3)");
    expect(header.endsWith('\n')).toBe(true);
    const body = new Float32Array(bytes.slice(10 + headerLen).buffer);
    expect(Array.from(body)).toEqual(Array.from(data));
  });

  it('writes a one-element shape tuple with its trailing comma', () => {
    const header = new TextDecoder().decode(npyBytes(new Float32Array(3), [3]).subarray(10));
    expect(header).toContain("'shape': (3,)");
  });
});
