// CI smoke: the whole trainer pipeline at toy size on real MNIST digits. Train both modes, export
// (parity-checked), load through the node runtime, sample with every solver, run the sample CLI,
// and evaluate with a freshly trained classifier.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_NAMES } from '../core';
import { loadModelNode } from '../runtime/node';
import { sampleModel } from '../runtime/sample';
import { cliArgs } from './cli/bundles.testkit';
import { gather, heldOutSplit, loadDataset, type ImageDataset } from './data';
import {
  evaluate,
  FeatureExtractor,
  toSolverResults,
  trainClassifier,
  writeClassifier,
  writeEvaluation,
} from './eval';
import { exportRun, PARITY_TOLERANCE, type ExportResult } from './export';
import { readCheckpoint, writeCheckpoint } from './io/checkpoint';
import { readNpy } from './io/npy';
import { presetFor, type Mode } from './model';
import { evaluateHeadline, HEADLINE_RUNS, readHeadline } from './report/headline';
import { compareHeadline } from './report/headline-compare';
import { DEFAULT_TRAIN, readInitFrom, runTraining, type TrainConfig } from './trainer';

const run = promisify(execFile);

let root: string;
let mnist: ImageDataset;
const exported = new Map<Mode, ExportResult>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-smoke-'));
  mnist = await loadDataset('mnist', { limit: 512 });
  for (const mode of ['qac', 'baseline'] as const) {
    const runDir = join(root, `run-${mode}`);
    const result = await runTraining(
      runDir,
      {
        ...DEFAULT_TRAIN,
        dataset: 'mnist',
        limit: 512,
        mode,
        preset: 'tiny',
        model: presetFor('tiny'),
        batch: 16,
        steps: 30,
        warmupSteps: 5,
        checkpointEvery: 30,
        threads: 1,
      },
      { dataset: mnist },
    );
    expect(result.step).toBe(30);
    exported.set(mode, await exportRun(runDir, join(root, `model-${mode}`)));
  }
}, 240_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('trainer smoke', () => {
  it('exports both modes within the parity bound, with the files each kind needs', async () => {
    for (const [mode, res] of exported) {
      expect(res.parity.denoiser).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(res.manifest.kind).toBe(mode);
      expect(res.manifest.training.steps).toBe(30);
      const files = (await readdir(res.dir)).sort();
      expect(files).toEqual(
        mode === 'qac'
          ? ['card.md', 'denoiser.onnx', 'encoder.onnx', 'manifest.json', 'weights.bin']
          : ['card.md', 'denoiser.onnx', 'manifest.json'],
      );
    }
    expect(exported.get('qac')!.parity.encoder).toBe(0);
  });

  it.each(['qac', 'baseline'] as const)(
    '%s: samples 2 images with each solver through the node runtime',
    async (mode) => {
      const model = await loadModelNode(exported.get(mode)!.dir);
      try {
        expect(model.codeBits).toBe(mode === 'qac' ? 4 : 0);
        for (const solver of SOLVER_NAMES) {
          const res = await sampleModel(model, { solver, nfe: 5, batch: 2, seed: 1 });
          expect(res.x.length).toBe(2 * 28 * 28);
          expect(res.x.every(Number.isFinite), solver).toBe(true);
          expect(res.nfe).toBe(5);
        }
      } finally {
        await model.dispose();
      }
    },
  );

  it('the exported graphs take any batch size: sample 0 of a batch of 3 equals a batch of 1', async () => {
    const model = await loadModelNode(exported.get('qac')!.dir);
    try {
      const { images } = gather(mnist, heldOutSplit(mnist).heldOut.subarray(0, 3));
      const codes = await model.encode(images, 3);
      expect(Array.from(codes).every((v) => v === 1 || v === -1)).toBe(true);
      const three = await model.denoise(images, 0.7, 3, codes);
      const one = await model.denoise(images.slice(0, 784), 0.7, 1, codes.slice(0, 4));
      for (let i = 0; i < 784; i++) expect(one[i]).toBeCloseTo(three[i]!, 5);
    } finally {
      await model.dispose();
    }
  });

  it('the sample CLI writes a valid PNG grid and .npy from an exported model', async () => {
    const png = join(root, 'grid.png');
    const npy = join(root, 'out.npy');
    const { stdout } = await run(process.execPath, [
      ...cliArgs('sample', ['--model', exported.get('qac')!.dir]),
      ...['--solver', 'dpmpp-2m', '--nfe', '4', '--batch', '2', '--out', png, '--npy', npy],
    ]);
    expect(stdout).toMatch(/NFE 4/);
    const image = PNG.sync.read(await readFile(png));
    expect(image.width).toBeGreaterThanOrEqual(28);
    expect(image.height).toBeGreaterThanOrEqual(28);
    const { data, shape } = await readNpy(npy);
    expect(shape).toEqual([2, 2, 1, 28, 28]);
    expect(data.every(Number.isFinite)).toBe(true);
  });

  it('a failing parity check writes nothing and leaves an existing model folder as it was', async () => {
    const good = exported.get('qac')!.dir;
    const before = await readFile(join(good, 'manifest.json'));
    const ckpt = await readCheckpoint(join(root, 'run-qac', 'checkpoint.ckpt'));
    const name = Object.keys(ckpt.tensors).find((n) => n.startsWith('ema:den.unet.out'))!;
    ckpt.tensors[name]!.data.fill(NaN);
    const broken = join(root, 'broken.ckpt');
    await writeCheckpoint(broken, ckpt);
    await expect(exportRun(broken, good)).rejects.toThrow(/parity check failed .*nothing written/);
    await expect(exportRun(broken, join(root, 'model-new'))).rejects.toThrow(/parity check failed/);
    expect((await readFile(join(good, 'manifest.json'))).equals(before)).toBe(true);
    expect(
      (await readdir(root)).filter((n) => n.includes('model-new') || n.includes('partial')),
    ).toEqual([]);
  });

  it('a run continued from an exported model starts from its parameters and exports both runs as one', async () => {
    const base = {
      ...DEFAULT_TRAIN,
      dataset: 'mnist',
      limit: 512,
      preset: 'tiny',
      model: presetFor('tiny'),
      batch: 16,
      steps: 3,
      warmupSteps: 2,
      pMean: -0.6,
      pStd: 1.4,
      pMix: { share: 0.15, mean: 1.5, std: 0.5 },
      threads: 1,
    };
    const from = await readCheckpoint(join(root, 'run-qac', 'checkpoint.ckpt'));
    const dir = join(root, 'run-continued');
    let firstEma = new Map<string, Float32Array>();
    await runTraining(
      dir,
      { ...base, mode: 'qac' },
      {
        dataset: mnist,
        start: await readInitFrom(exported.get('qac')!.dir, { ...base, mode: 'qac' }),
        onStart: (t) => (firstEma = t.state().ema),
      },
    );
    // The export baked the run's EMA into the graphs as float32: the new run starts from it exactly.
    expect(firstEma.size).toBeGreaterThan(0);
    for (const [name, v] of firstEma) expect(v, name).toEqual(from.tensors[`ema:${name}`]!.data);
    const res = await exportRun(dir, join(root, 'model-continued'));
    expect(res.manifest.training.steps).toBe(30 + 3);
    expect(res.manifest.training.config.initFrom).toMatchObject({
      model: 'model-qac',
      steps: 30,
      sha256: exported.get('qac')!.manifest.files.denoiser.sha256,
    });
    const card = await readFile(join(res.dir, 'card.md'), 'utf8');
    expect(card).toMatch(/continued from model-qac \(30 steps\) for 3 steps/);
    expect(card).toMatch(
      /noise ln\(sigma\) ~ 0\.85 N\(-0\.6, 1\.4\^2\) \+ 0\.15 N\(1\.5, 0\.5\^2\)/,
    );

    const refused = (over: Pick<TrainConfig, 'mode'> & Partial<TrainConfig>) =>
      readInitFrom(exported.get('qac')!.dir, { ...base, ...over });
    await expect(refused({ mode: 'baseline' })).rejects.toThrow(
      /the model is a qac model, the run trains baseline/,
    );
    await expect(
      refused({ mode: 'qac', model: { ...presetFor('tiny'), base: 12 } }),
    ).rejects.toThrow(/its network .* differs from the run's/);
  });

  it('evaluates a model with a small classifier and records it in the manifest', async () => {
    const clf = await trainClassifier(mnist, {
      arch: 'small',
      steps: 30,
      batch: 32,
      lr: 2e-3,
      seed: 0,
      threads: 1,
    });
    const features = FeatureExtractor.fromModel(clf.model, clf.cfg.widths.at(-1)!);
    const model = await loadModelNode(exported.get('qac')!.dir);
    try {
      const settings = await evaluate(model, features, {
        solvers: ['heun'],
        nfes: [4],
        afs: false,
        n: 8,
        seed: 0,
        batch: 8,
      });
      expect(settings).toHaveLength(1);
      expect(settings[0]).toMatchObject({ solver: 'heun', requestedNfe: 4, nfe: 3 });
      expect(settings[0]!.note).toMatch(/cannot spend exactly 4 NFE; ran 3/);
      expect(settings[0]!.fidProxy).toBeGreaterThan(0);
      expect(settings[0]!.curvature).toBeGreaterThan(0);
      const m = await writeEvaluation(exported.get('qac')!.dir, {
        samples: 8,
        seed: 0,
        results: toSolverResults(settings),
      });
      expect(m.evaluation?.results[0]?.nfe).toBe(3);
      // A second evaluation measured the same way adds its settings and replaces equal ones.
      const again = toSolverResults(settings).map((r) => ({ ...r, fidProxy: 1 }));
      const more = [...again, { ...again[0]!, nfe: 9 }];
      const merged = await writeEvaluation(exported.get('qac')!.dir, {
        samples: 8,
        seed: 0,
        results: more,
      });
      expect(merged.evaluation?.results.map((r) => [r.nfe, r.fidProxy])).toEqual([
        [3, 1],
        [9, 1],
      ]);
    } finally {
      await model.dispose();
      await features.release();
    }
    // The updated manifest still loads: no file hash changed.
    await (await loadModelNode(exported.get('qac')!.dir)).dispose();
  });

  it('evaluates the headline settings of a pair with paired bootstrap intervals', async () => {
    const clf = await trainClassifier(mnist, {
      arch: 'wide',
      steps: 20,
      batch: 32,
      lr: 2e-3,
      seed: 0,
      threads: 1,
    });
    expect(clf.cfg.hidden).toBe(128);
    await writeClassifier(
      join(root, 'clf'),
      {
        format: 'qac-playground-classifier',
        name: 'clf',
        dataset: 'mnist',
        config: clf.cfg,
        classNames: mnist.classNames,
        featureDim: 128,
        heldOutAccuracy: clf.accuracy,
        steps: 20,
      },
      clf.model,
    );
    const features = await FeatureExtractor.load(join(root, 'clf'));
    const stored = [];
    try {
      for (const mode of ['qac', 'baseline'] as const) {
        const dir = exported.get(mode)!.dir;
        const model = await loadModelNode(dir);
        try {
          const opts = { n: 6, seeds: [0, 100], resamples: 12, batch: 6, log: () => {} };
          const h = await evaluateHeadline(dir, model, features, opts);
          expect(h.settings.map((s) => `${s.solver}${s.afs ? '+afs' : ''}/${s.nfe}`)).toEqual(
            HEADLINE_RUNS.map((r) => `${r.solver}${r.afs ? '+afs' : ''}/${r.nfe}`),
          );
          expect(await readHeadline(dir)).toEqual(h);
          await expect(
            evaluateHeadline(dir, model, features, { ...opts, seeds: [0, 3] }),
          ).rejects.toThrow(/closer than n = 6/);
          stored.push(h);
        } finally {
          await model.dispose();
        }
      }
    } finally {
      await features.release();
    }
    const c = compareHeadline(stored[0]!, stored[1]!);
    for (const row of [...c.rows.map((r) => r.pooled), c.target.pooled]) {
      expect(Number.isFinite(row.value) && row.value > 0).toBe(true);
      expect(row.lo).toBeLessThanOrEqual(row.hi);
    }
    expect(c.target.settings).toBe(5);
  });
});
