import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexToBits, initialNoise, sampleSeeds } from '../../core';
import {
  DEFAULT_FIXTURE,
  fixtureMatrices,
  writeFixtureModel,
} from '../../runtime/testing/fixture-model';
import { readNpy } from '../io/npy';
import { cliArgs } from './bundles.testkit';

const run = promisify(execFile);
const sampleCli = (args: string[]) => run(process.execPath, cliArgs('sample', args));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-sample-cli-'));
  await writeFixtureModel(join(root, 'qac'));
  await writeFixtureModel(join(root, 'baseline'), { kind: 'baseline' });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('sample CLI', () => {
  it('samples the fixture model onto its exact ODE solution and writes PNG and .npy', async () => {
    const png = join(root, 'grid.png');
    const npy = join(root, 'out.npy');
    const code = 5;
    const { stdout } = await sampleCli([
      ...['--model', join(root, 'qac', 'manifest.json'), '--solver', 'heun', '--nfe', '199'],
      ...['--seed', '3', '--batch', '3', '--code', String(code), '--out', png, '--npy', npy],
      ...['--grid-end', 'zero'],
    ]);
    expect(stdout).toMatch(/NFE 199, 100 steps/);
    expect(stdout).toMatch(/sigmas 80\.00 .* 0\.002000 0\.000/);
    expect(stdout).toMatch(/codes 5 5 5/);

    const { data, shape } = await readNpy(npy);
    const spec = DEFAULT_FIXTURE;
    const n = spec.channels * spec.height * spec.width;
    expect(shape).toEqual([2, 3, spec.channels, spec.height, spec.width]);
    const xT = data.subarray(0, 3 * n);
    expect(xT).toEqual(initialNoise(sampleSeeds(3, 3), n, 80));
    // Per code the fixture's data is N(proto, sigma_data^2), whose probability-flow ODE has the
    // closed form x(s) = proto + (x_T - proto) * sqrt(s^2 + sd^2) / sqrt(smax^2 + sd^2).
    const { P } = fixtureMatrices(spec);
    const bits = indexToBits(code, spec.bits);
    const sd = spec.sigmaData;
    let worst = 0;
    for (let b = 0; b < 3; b++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let i = 0; i < spec.bits; i++) dot += bits[i]! * P[i * n + j]!;
        const proto = Math.tanh(dot);
        const exact = proto + (xT[b * n + j]! - proto) * (sd / Math.sqrt(80 ** 2 + sd ** 2));
        worst = Math.max(worst, Math.abs(data[3 * n + b * n + j]! - exact));
      }
    }
    // Heun with 100 steps is within about 1e-3 of the closed form; a wrong code would be off by ~0.5.
    expect(worst).toBeLessThan(3e-3);

    const image = PNG.sync.read(await readFile(png));
    // 3 images of 4x4 in a 2-column grid with 2 px padding.
    expect([image.width, image.height]).toEqual([2 * 6 + 2, 2 * 6 + 2]);
  });

  it('draws codes from the sampling weights and refuses bad arguments with a message', async () => {
    const { stdout } = await sampleCli([
      '--model',
      join(root, 'qac'),
      '--batch',
      '8',
      '--afs',
      '--out',
      join(root, 'g.png'),
    ]);
    expect(stdout).toMatch(/ipndm \+ AFS, NFE 6/);
    const codes = /codes ([\d ]+)/.exec(stdout)![1]!.split(' ').map(Number);
    expect(codes).toHaveLength(8);
    expect(codes.every((c) => [5, 2, 0].includes(c))).toBe(true);
    await expect(
      sampleCli(['--model', join(root, 'baseline'), '--code', '1', '--out', join(root, 'g.png')]),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/baseline model: it takes no code/) });
    await expect(
      sampleCli(['--model', join(root, 'qac'), '--code', '8', '--out', join(root, 'g.png')]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/code 8 is outside this model's codebook 0\.\.7/),
    });
    await expect(
      sampleCli(['--model', join(root, 'none'), '--out', join(root, 'g.png')]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/manifest\.json: missing in/),
    });
  });
});
