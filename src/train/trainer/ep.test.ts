// Training on onnxruntime-node's WebGPU EP (SwiftShader here): the same run as on the CPU EP,
// and the same checkpoint files, which resume on either EP.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNodeEp, type NodeEp } from '../../runtime/node/ep';
import { pickSwiftShaderUnlessSet } from '../../runtime/node/swiftshader.testkit';
import { loadDataset, type ImageDataset } from '../data';
import { readCheckpoint } from '../io/checkpoint';
import { presetFor } from '../model';
import { DEFAULT_TRAIN, type TrainConfig } from './config';
import { CHECKPOINT_FILE } from './run-folder';
import { runTraining } from './run';

pickSwiftShaderUnlessSet();

let dir: string;
let mnist: ImageDataset;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qac-trainer-ep-'));
  mnist = await loadDataset('mnist', { limit: 64 });
  await checkNodeEp('webgpu');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Batch 2 of the tiny preset: SwiftShader compiles the step graph's shaders in ~25 s, then
// takes seconds per step.
const config = (steps: number): TrainConfig => ({
  ...DEFAULT_TRAIN,
  dataset: 'mnist',
  limit: 64,
  mode: 'qac',
  preset: 'tiny',
  model: presetFor('tiny'),
  batch: 2,
  steps,
  warmupSteps: 1,
  checkpointEvery: 1,
  threads: 1,
});

/** Trains run `name` on `ep` up to `steps` (resuming when it exists); the losses of its steps. */
async function train(name: string, steps: number, ep: NodeEp, resume = false) {
  const losses: number[] = [];
  await runTraining(join(dir, name), config(steps), {
    dataset: mnist,
    ep,
    resume,
    onStep: (r) => losses.push(r.loss),
  });
  return losses;
}

/** The largest difference between two runs' checkpoints, over every tensor. */
async function checkpointDiff(a: string, b: string): Promise<number> {
  const [ca, cb] = await Promise.all(
    [a, b].map((n) => readCheckpoint(join(dir, n, CHECKPOINT_FILE))),
  );
  expect(cb!.meta.step).toBe(ca!.meta.step);
  expect(Object.keys(cb!.tensors).sort()).toEqual(Object.keys(ca!.tensors).sort());
  let worst = 0;
  for (const [name, t] of Object.entries(ca!.tensors)) {
    const u = cb!.tensors[name]!;
    expect(u.shape, name).toEqual(t.shape);
    for (let i = 0; i < t.data.length; i++)
      worst = Math.max(worst, Math.abs(Number(t.data[i]) - Number(u.data[i])));
  }
  return worst;
}

const EPS = 1e-3;

describe('training on the webgpu EP', () => {
  it("takes the cpu run's 3 steps within 1e-3 and writes the same files; each EP resumes the other's checkpoint", async () => {
    const cpuLosses = await train('cpu', 3, 'cpu');
    const gpuLosses = await train('webgpu', 3, 'webgpu');
    gpuLosses.forEach((l, k) =>
      expect(Math.abs(l - cpuLosses[k]!), `step ${k + 1}`).toBeLessThan(EPS),
    );
    const trained = await checkpointDiff('cpu', 'webgpu');
    expect(await readdir(join(dir, 'webgpu'))).toEqual(await readdir(join(dir, 'cpu')));
    expect(await readFile(join(dir, 'webgpu', 'config.json'), 'utf8')).toBe(
      await readFile(join(dir, 'cpu', 'config.json'), 'utf8'),
    );
    expect(trained).toBeLessThan(EPS);

    // cpu -> webgpu: two steps on the CPU, the third on the GPU.
    await train('cpu-then-webgpu', 2, 'cpu');
    const [third] = await train('cpu-then-webgpu', 3, 'webgpu', true);
    expect(Math.abs(third! - cpuLosses[2]!)).toBeLessThan(EPS);
    const handedOver = await checkpointDiff('cpu', 'cpu-then-webgpu');
    expect(handedOver).toBeLessThan(EPS);

    // webgpu -> cpu: the GPU run's checkpoint takes a fourth step on the CPU, as the CPU run's.
    const [fourth] = await train('webgpu', 4, 'cpu', true);
    const [cpuFourth] = await train('cpu', 4, 'cpu', true);
    expect(Math.abs(fourth! - cpuFourth!)).toBeLessThan(EPS);
    const resumed = await checkpointDiff('cpu', 'webgpu');
    expect(resumed).toBeLessThan(EPS);
    console.info(
      `losses cpu ${cpuLosses.map((l) => l.toFixed(5)).join(' ')}, webgpu ${gpuLosses.map((l) => l.toFixed(5)).join(' ')}; ` +
        `worst checkpoint |webgpu - cpu|: 3 steps ${trained.toExponential(2)}, cpu->webgpu ${handedOver.toExponential(2)}, webgpu->cpu ${resumed.toExponential(2)}`,
    );
  }, 400_000);
});
