import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { avatarDataset, avatarSvg, rgbOfRgba } from './avatar-svg';
import { AVATAR_ATTRIBUTES, AVATAR_SIZE, attributeClass, renderInWorker } from './avatars';

const PER = AVATAR_SIZE * AVATAR_SIZE * 3;

/** Image i of n rendered ones uses a colour of palettes[bit b of i] and none of the other. */
function expectPaletteByBit(
  px: Uint8Array,
  n: number,
  b: number,
  palettes: readonly [string[], string[]],
): void {
  for (let i = 0; i < n; i++) {
    const colours = new Set<string>();
    for (let p = i * PER; p < (i + 1) * PER; p += 3)
      colours.add([...px.subarray(p, p + 3)].map((v) => v.toString(16).padStart(2, '0')).join(''));
    const bit = (i >> b) & 1;
    expect(
      palettes[bit]!.some((c) => colours.has(c)),
      `image ${i} uses its class's palette`,
    ).toBe(true);
    expect(
      palettes[1 - bit]!.some((c) => colours.has(c)),
      `image ${i} uses no colour of the other palette`,
    ).toBe(false);
  }
}

describe('avatars', () => {
  it('renders the same pixels for the same seed, on white, and new faces for new seeds', async () => {
    const [a, b, c] = await Promise.all([
      renderInWorker({ set: 'default', from: 0, to: 4 }),
      renderInWorker({ set: 'default', from: 0, to: 4 }),
      renderInWorker({ set: 'default', from: 4, to: 8 }),
    ]);
    expect(a.length).toBe(4 * PER);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // The corner pixel of every avatar is the white background.
    for (let k = 0; k < 4; k++)
      expect([...a.subarray(k * PER, k * PER + 3)]).toEqual([255, 255, 255]);
  });

  it('labels the attribute set by bits: classes are balanced and the skin bit picks the palette', async () => {
    const n = 2 ** AVATAR_ATTRIBUTES.length;
    expect(
      Array.from({ length: 3 * n }, (_, i) => attributeClass(i)).sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 3 * n }, (_, i) => Math.floor(i / 3)));
    // DiceBear's default skin palette: the first four are 'light skin', the last four 'dark skin'.
    const light = ['ffdbac', 'f5cfa0', 'eac393', 'e0b687'];
    const dark = ['cb9e6e', 'b68655', 'a26d3d', '8d5524'];
    const px = await renderInWorker({ set: 'attributes', from: 0, to: n });
    expectPaletteByBit(px, n, 2, [light, dark]);
  });
});

describe("the second yardstick's labelled set", () => {
  it('fixes other options than the first set: the clothing bit picks the warm or cool palette', async () => {
    const n = 16;
    const warm = ['ff6f69', 'd11141', 'ae0001', 'ffeead', 'ffd969', 'ffc425'];
    const cool = ['5bc0de', '428bca', '03396c', '88d8b0', '44c585', '00b159'];
    const px = await renderInWorker({ set: 'styles', from: 0, to: n });
    const ds = avatarDataset('styles', n, () => new Uint8Array(PER), 'test');
    expect(ds.name).toBe('avatar-styles');
    expect(ds.classNames[0]).toBe('short hair, no beard, cool clothing, no earrings');
    expect(ds.classNames[15]).toBe('long hair, beard, warm clothing, earrings');
    expectPaletteByBit(px, n, 2, [cool, warm]);
  });
});

describe('avatars in the browser', () => {
  it('resvg-wasm (the browser trainer) renders the same pixels as resvg-js (Node), same version', async () => {
    const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
    const { packageVersion } = await import('./package-version');
    expect(await packageVersion('@resvg/resvg-wasm')).toBe(await packageVersion('@resvg/resvg-js'));
    await initWasm(
      await readFile(fileURLToPath(import.meta.resolve('@resvg/resvg-wasm/index_bg.wasm'))),
    );
    const node = await renderInWorker({ set: 'default', from: 0, to: 6 });
    for (let seed = 0; seed < 6; seed++) {
      const svg = avatarSvg('default', seed);
      const rgba = new Resvg(svg, { fitTo: { mode: 'width', value: AVATAR_SIZE } }).render().pixels;
      expect(rgbOfRgba(rgba), `seed ${seed}`).toEqual(node.subarray(seed * PER, (seed + 1) * PER));
    }
  });
});
