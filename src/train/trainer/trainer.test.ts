import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type ImageDataset } from '../data';
import { readCheckpoint } from '../io/checkpoint';
import { presetFor } from '../model';
import { DEFAULT_TRAIN, type TrainConfig } from './config';
import { CHECKPOINT_FILE, hasCheckpoint } from './run-folder';
import { runTraining } from './run';
import { NonFiniteLossError } from './trainer';

let dir: string;
let mnist: ImageDataset;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-trainer-'));
  mnist = await loadDataset('mnist', { limit: 256 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_TRAIN,
  dataset: 'mnist',
  limit: 256,
  mode: 'qac',
  preset: 'tiny',
  model: presetFor('tiny'),
  batch: 8,
  steps: 6,
  warmupSteps: 2,
  checkpointEvery: 2,
  threads: 1,
  ...over,
});

async function tensorsOf(runDir: string) {
  const { meta, tensors } = await readCheckpoint(join(runDir, CHECKPOINT_FILE));
  return { step: meta.step, tensors };
}

describe('Algorithm 1 runs', () => {
  it('an interrupted and resumed run equals an uninterrupted one bit for bit', async () => {
    const straight = join(dir, 'straight');
    await runTraining(straight, config(), { dataset: mnist });
    const split = join(dir, 'split');
    let steps = 0;
    const first = await runTraining(split, config(), {
      dataset: mnist,
      onStep: () => steps++,
      shouldStop: () => steps === 3,
    });
    expect(first).toMatchObject({ step: 3, interrupted: true });
    // A temp file left by a write that kill -9 cut short must not get in the way.
    await writeFile(join(split, `.${CHECKPOINT_FILE}.999.dead.partial`), 'half a checkpoint');
    const second = await runTraining(split, config(), { dataset: mnist, resume: true });
    expect(second).toMatchObject({ step: 6, interrupted: false });
    const a = await tensorsOf(straight);
    const b = await tensorsOf(split);
    expect(b.step).toBe(6);
    expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
    expect(Object.keys(a.tensors)).toContain('codeWeights');
    for (const [name, t] of Object.entries(a.tensors)) {
      expect(
        Buffer.from(b.tensors[name]!.data.buffer).equals(Buffer.from(t.data.buffer)),
        name,
      ).toBe(true);
    }
    expect((await readdir(split)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('a resume keeps the planned decay end unless told to move it (a wsd cool-down)', async () => {
    const run = join(dir, 'wsd');
    const wsd = config({ lrSchedule: 'wsd', steps: 4, lrDecaySteps: 100, snapshotAt: [2] });
    await runTraining(run, wsd, { dataset: mnist });
    const lrs: number[] = [];
    const kept = await runTraining(
      run,
      { ...wsd, steps: 5 },
      {
        dataset: mnist,
        resume: true,
        onStep: (r) => lrs.push(r.lr),
      },
    );
    expect(kept.step).toBe(5);
    // Step 4 of 100 planned is in the stable phase: the full rate.
    expect(lrs).toEqual([wsd.lr]);
    // The longer plan asks for a snapshot the first plan did not; the first plan's stays.
    await runTraining(
      run,
      { ...wsd, steps: 6, snapshotAt: [6] },
      {
        dataset: mnist,
        resume: true,
        lrDecaySteps: 6,
        onStep: (r) => lrs.push(r.lr),
      },
    );
    // Now step 5 of 6 is in the cool-down (the last 20% of 6 steps): 1/1.2 of the rate.
    expect(lrs[1]).toBeCloseTo(wsd.lr / 1.2, 9);
    const { meta } = await readCheckpoint(join(run, CHECKPOINT_FILE));
    expect((meta.config as { lrDecaySteps: number }).lrDecaySteps).toBe(6);
    expect((meta.config as { snapshotAt: number[] }).snapshotAt).toEqual([2, 6]);
    expect((await readdir(join(run, 'snapshots'))).sort()).toEqual([
      'step-000002.ckpt',
      'step-000006.ckpt',
    ]);
  });

  it('a baseline run checkpoints no encoder, condition path or code weights', async () => {
    const base = join(dir, 'baseline');
    await runTraining(base, config({ mode: 'baseline', steps: 2 }), { dataset: mnist });
    const { tensors } = await tensorsOf(base);
    expect(Object.keys(tensors).some((n) => n.startsWith('enc.') || n.includes('.cond.'))).toBe(
      false,
    );
    expect(tensors.codeWeights).toBeUndefined();
  });

  it('stops on a NaN loss, naming the step, and keeps the last good checkpoint', async () => {
    const run = join(dir, 'nan');
    await runTraining(run, config({ steps: 2 }), { dataset: mnist });
    const good = await readFile(join(run, CHECKPOINT_FILE));
    const poisoned: ImageDataset = { ...mnist, images: mnist.images.map(() => NaN) };
    await expect(
      runTraining(run, config({ steps: 4 }), { dataset: poisoned, resume: true }),
    ).rejects.toThrow(/loss became NaN at step 3/);
    expect((await readFile(join(run, CHECKPOINT_FILE))).equals(good)).toBe(true);
  });

  it('an absurd learning rate blows up at once and writes no checkpoint', async () => {
    const run = join(dir, 'lr');
    const err = await runTraining(run, config({ lr: 1e38, warmupSteps: 0 }), {
      dataset: mnist,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBeLessThanOrEqual(2);
    expect(await hasCheckpoint(run)).toBe(false);
  });

  it('refuses to overwrite a run without --resume and to resume a missing one', async () => {
    const run = join(dir, 'straight');
    await expect(runTraining(run, config(), { dataset: mnist })).rejects.toThrow(
      /already holds a run; pass --resume/,
    );
    await expect(
      runTraining(join(dir, 'none'), config(), { dataset: mnist, resume: true }),
    ).rejects.toThrow(/has no checkpoint\.ckpt to resume from/);
  });

  it('names an unknown dataset and the known ones', async () => {
    await expect(runTraining(join(dir, 'unknown'), config({ dataset: 'mnits' }))).rejects.toThrow(
      /unknown dataset "mnits"; known datasets: mnist, fashion-mnist/,
    );
    expect(await readdir(dir)).not.toContain('unknown');
  });
});
