import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exportModel, buildTrainingStep, type ModelGraph } from '../../graph';
import { sha256Hex } from '../../runtime';
import { FileCheckError, readRegularFile } from '../../runtime/node/files';
import type { NodeEp } from '../../runtime/node/ep';
import { GraphSession, TrainSession } from '../../runtime/train-session';
import { Rng } from '../../core';
import { BatchOrder, gather, heldOutSplit, type ImageDataset } from '../data';
import { writeFileAtomic } from '../io/atomic';
import { augmentBatch, type Augmentation } from './augment';
import { attributeAccuracies, type BinaryAttribute } from './attributes';
import {
  classifierConfigFor,
  classifierExportGraph,
  classifierTrainGraph,
  CLS_IO,
  featureDimOf,
  type ClassifierArch,
  type ClassifierConfig,
} from './classifier-net';
import {
  parseClassifierInfo,
  type AttributeAccuracy,
  type ClassifierInfo,
} from './classifier-info';

const CLASSIFIER_FILE = 'classifier.onnx';
const CLASSIFIER_INFO = 'classifier.json';
export type { ClassifierInfo } from './classifier-info';

export interface ClassifierTraining {
  arch: ClassifierArch;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  /** onnxruntime intra-op threads. */
  threads: number;
  /** The execution provider (default cpu). */
  ep?: NodeEp;
  /** Applied to every training batch; none by default. */
  augment?: readonly Augmentation[];
  onStep?: (step: number, loss: number) => void;
}

const WARMUP_STEPS = 50;
const AUGMENT_STREAM = 7;
export const CLASSIFIER_SCHEDULE = `linear warm-up over ${WARMUP_STEPS} steps, then cosine to 0`;

/** The learning rate of 0-based step s: a short warm-up, then a cosine decay to 0 at the end. */
function classifierLr(base: number, s: number, steps: number): number {
  const warm = Math.min(1, (s + 1) / WARMUP_STEPS);
  return base * warm * 0.5 * (1 + Math.cos((Math.PI * s) / steps));
}

/** Trains on the training split with Adam; returns the parameters and held-out scores. */
export async function trainClassifier(
  ds: ImageDataset,
  t: ClassifierTraining,
  attributes: readonly BinaryAttribute[] = [],
) {
  const cfg = classifierConfigFor(t.arch, {
    channels: ds.channels,
    height: ds.height,
    width: ds.width,
    classes: ds.classNames.length,
  });
  const tg = classifierTrainGraph(cfg, t.batch);
  const step = buildTrainingStep(tg.params, { loss: tg.loss, adam: { clipGlobalNorm: 5 } });
  const session = await TrainSession.create(step, tg.params.initialValues(t.seed), {
    threads: t.threads,
    ep: t.ep ?? 'cpu',
  });
  const { train, heldOut } = heldOutSplit(ds);
  const order = new BatchOrder(train, t.batch, t.seed);
  const onehot = new Float32Array(t.batch * cfg.classes);
  // Its own seed stream (far from the batch order's), so augmenting leaves the batches as they were.
  const augmentRng = new Rng(t.seed, AUGMENT_STREAM);
  const t0 = performance.now();
  try {
    for (let s = 0; s < t.steps; s++) {
      const { images, labels } = gather(ds, order.next());
      augmentBatch(images, labels.length, ds, t.augment ?? [], augmentRng);
      onehot.fill(0);
      labels.forEach((l, k) => (onehot[k * cfg.classes + l] = 1));
      const out = await session.run({ x: images, onehot }, classifierLr(t.lr, s, t.steps));
      const loss = (out.loss as Float32Array)[0]!;
      if (!Number.isFinite(loss))
        throw new Error(`classifier: loss became ${loss} at step ${s + 1}`);
      t.onStep?.(s + 1, loss);
    }
    const seconds = (performance.now() - t0) / 1000;
    const params = session.params();
    const model = exportClassifierGraph(cfg, params);
    const clf = FeatureExtractor.fromModel(model, featureDimOf(cfg));
    try {
      const scores = await clf.scores(ds, heldOut, attributes);
      return { cfg, params, model, ...scores, heldOutImages: heldOut.length, seconds };
    } finally {
      await clf.release();
    }
  } finally {
    await session.release();
  }
}

function exportClassifierGraph(
  cfg: ClassifierConfig,
  values: ReadonlyMap<string, Float32Array>,
): ModelGraph {
  const e = classifierExportGraph(cfg, 2, values);
  return exportModel(
    e.graph,
    { [CLS_IO.features]: e.features, [CLS_IO.logits]: e.logits },
    'classifier',
    {
      dynamicBatch: 'batch',
    },
  );
}

export async function writeClassifier(
  dir: string,
  info: Omit<ClassifierInfo, 'sha256'>,
  model: ModelGraph,
) {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, CLASSIFIER_FILE), model.model);
  const full: ClassifierInfo = { ...info, sha256: await sha256Hex(model.model) };
  await writeFileAtomic(
    join(dir, CLASSIFIER_INFO),
    Buffer.from(JSON.stringify(full, null, 2) + '\n'),
  );
}

const CHUNK = 100;

/** Runs the classifier over images in chunks: penultimate features and logits. */
export class FeatureExtractor {
  private constructor(
    private readonly model: ModelGraph,
    private readonly sessions: Map<number, GraphSession>,
    readonly featureDim: number,
    readonly info: ClassifierInfo | null,
  ) {}

  static fromModel(
    model: ModelGraph,
    featureDim: number,
    info: ClassifierInfo | null = null,
  ): FeatureExtractor {
    return new FeatureExtractor(model, new Map(), featureDim, info);
  }

  /**
   * Loads classifier.onnx + classifier.json, checking the hash. Both reads are bounded and refuse
   * FIFOs and devices by name (a --classifier folder is user input).
   */
  static async load(dir: string): Promise<FeatureExtractor> {
    const infoPath = join(dir, CLASSIFIER_INFO);
    const read = async (path: string, max: number) => {
      try {
        return await readRegularFile(path, max);
      } catch (e) {
        const problem = e instanceof FileCheckError ? e.problem : (e as Error).message;
        throw new Error(`classifier ${path}: ${problem}`, { cause: e });
      }
    };
    const info = parseClassifierInfo((await read(infoPath, 1 << 20)).toString(), infoPath);
    const bytes = new Uint8Array(await read(join(dir, CLASSIFIER_FILE), 1 << 28));
    if ((await sha256Hex(bytes)) !== info.sha256)
      throw new Error(
        `classifier ${join(dir, CLASSIFIER_FILE)}: sha256 differs from ${CLASSIFIER_INFO}`,
      );
    const { channels: c, height: h, width: w, classes } = info.config;
    const model: ModelGraph = {
      model: bytes,
      inputs: [{ name: CLS_IO.x, shape: [1, c, h, w], dtype: 'float32' }],
      outputs: [
        { name: CLS_IO.features, shape: [1, info.featureDim], dtype: 'float32' },
        { name: CLS_IO.logits, shape: [1, classes], dtype: 'float32' },
      ],
    };
    return new FeatureExtractor(model, new Map(), info.featureDim, info);
  }

  /** The binary attributes its classes combine (avatar-attributes); empty for plain classes. */
  get attributes(): BinaryAttribute[] {
    return (this.info?.attributes ?? []).map((a) => ({
      name: a.name,
      bit: a.bit,
      values: [a.values[0]!, a.values[1]!],
    }));
  }

  private async session(batch: number): Promise<GraphSession> {
    let s = this.sessions.get(batch);
    if (!s) {
      const resized: ModelGraph = {
        model: this.model.model,
        inputs: this.model.inputs.map((i) => ({ ...i, shape: [batch, ...i.shape.slice(1)] })),
        outputs: this.model.outputs.map((o) => ({ ...o, shape: [batch, ...o.shape.slice(1)] })),
      };
      s = await GraphSession.create(resized);
      this.sessions.set(batch, s);
    }
    return s;
  }

  /** Features [n, F] and logits [n, K] of n images [n, C, H, W]. */
  async run(
    images: Float32Array,
    n: number,
  ): Promise<{ features: Float32Array; logits: Float32Array }> {
    const size = images.length / n;
    const feats: Float32Array[] = [];
    const logits: Float32Array[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      const b = Math.min(CHUNK, n - start);
      const out = await (
        await this.session(b)
      ).run({ [CLS_IO.x]: images.subarray(start * size, (start + b) * size) });
      feats.push(out[CLS_IO.features] as Float32Array);
      logits.push(out[CLS_IO.logits] as Float32Array);
    }
    const join1 = (parts: Float32Array[]) => {
      const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return all;
    };
    return { features: join1(feats), logits: join1(logits) };
  }

  /** Top-1 accuracy over the images at `indices`, and per-attribute accuracy when asked. */
  async scores(
    ds: ImageDataset,
    indices: Uint32Array,
    attributes: readonly BinaryAttribute[] = [],
  ): Promise<{ accuracy: number; attributes: AttributeAccuracy[] }> {
    const { images, labels } = gather(ds, indices);
    const { logits } = await this.run(images, indices.length);
    const k = logits.length / indices.length;
    let correct = 0;
    for (let i = 0; i < indices.length; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (logits[i * k + j]! > logits[i * k + best]!) best = j;
      if (best === labels[i]) correct++;
    }
    return {
      accuracy: correct / indices.length,
      attributes: attributes.length ? attributeAccuracies(logits, labels, attributes) : [],
    };
  }

  async accuracy(ds: ImageDataset, indices: Uint32Array): Promise<number> {
    return (await this.scores(ds, indices)).accuracy;
  }

  async release(): Promise<void> {
    for (const s of this.sessions.values()) await s.release();
    this.sessions.clear();
  }
}
