// Algorithm 1's step loop without an ORT build: the Node trainer (trainer.ts) hands it
// onnxruntime-node sessions, the browser's (src/app/training) onnxruntime-web ones. It imports
// nothing Node-only, so the same loop runs in a Web Worker.
import { buildTrainingStep, type StepGraph } from '../../graph';
import type { Feeds, Outputs, TrainState } from '../../runtime/train-core';
import { BatchOrder, gather } from '../data/batches';
import { heldOutSplit } from '../data/split';
import type { ImageDataset } from '../data/types';
import { FEED, parameterCounts, trainGraph } from '../model';
import type { TrainConfig } from './config';
import { CodeUsage } from './code-usage';
import { ParamEma } from './ema';
import type { RunState } from './checkpoint-state';
import { stepNoise } from './noise';
import { emaDecay, learningRate } from './schedule';

/** A loss that is NaN or infinite: the run stops and the last good checkpoint stays. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly loss: number,
  ) {
    super(`loss became ${loss} at step ${step}`);
  }
}

export interface StepReport {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  /** Distinct codes in this batch, codes in use in the sampling weights, their perplexity. */
  batchCodes: number;
  codesInUse: number;
  perplexity: number;
  seconds: number;
}

const CODES_OUT = 'codeLevels';

/** What the loop needs of a training session (TrainSession, WebTrainSession). */
export interface StepSession {
  run(feeds: Feeds, lr: number): Promise<Outputs>;
  params(): Map<string, Float32Array>;
  state(): TrainState;
  restore(state: TrainState): void;
  release(): Promise<void>;
}

/** Opens a session on a step graph from initial parameters, with the config's thread count. */
export type OpenSession = (
  graph: StepGraph,
  init: ReadonlyMap<string, Float32Array>,
  threads: number,
) => Promise<StepSession>;

/**
 * Algorithm 1: each step draws a batch, noise levels and noise, updates encoder and denoiser
 * jointly with Adam (inside the step graph), then the parameter EMA and the code-usage weights
 * with the same decay.
 */
export class TrainerCore {
  private constructor(
    readonly config: TrainConfig,
    private readonly dataset: ImageDataset,
    private readonly session: StepSession,
    private readonly order: BatchOrder,
    private readonly ema: ParamEma,
    private readonly usage: CodeUsage | null,
    private readonly shapes: Map<string, readonly number[]>,
    readonly counts: { denoiser: number; encoder: number },
    private stepsDone: number,
    private wallTime: number,
    private lastLoss: number | null,
  ) {}

  static async create(
    config: TrainConfig,
    dataset: ImageDataset,
    resume: RunState | undefined,
    open: OpenSession,
    start?: ReadonlyMap<string, Float32Array>,
  ): Promise<TrainerCore> {
    const tg = trainGraph(config.model, config.mode, config.batch);
    const graph = buildTrainingStep(tg.params, {
      loss: tg.loss,
      adam: config.clipGradNorm === null ? {} : { clipGlobalNorm: config.clipGradNorm },
      outputs: tg.codeLevels ? { [CODES_OUT]: tg.codeLevels } : {},
    });
    const shapes = new Map<string, readonly number[]>();
    for (const s of graph.state) shapes.set(s.input, s.shape);
    const init = tg.params.initialValues(config.seed);
    // A run continuing a model (--init-from) starts from its parameters; Adam starts afresh.
    if (start && !resume) {
      for (const [name, v] of init) {
        const given = start.get(name);
        if (given?.length !== v.length)
          throw new Error(
            `the starting model lacks parameter '${name}' (${v.length} values)` +
              (given ? `: it has ${given.length}` : ''),
          );
        init.set(name, given.slice());
      }
    }
    const session = await open(graph, init, config.threads);
    const { train } = heldOutSplit(dataset);
    const order = new BatchOrder(train, config.batch, config.seed, resume?.batchOrder);
    const qac = config.mode === 'qac';
    let ema = ParamEma.from(init);
    let usage = qac ? new CodeUsage(config.model.bits, config.model.levels) : null;
    if (resume) {
      session.restore({ step: resume.step, tensors: resume.optimizer });
      for (const name of init.keys()) {
        if (!resume.ema.has(name))
          throw new Error(`checkpoint lacks the EMA of parameter '${name}'`);
      }
      ema = ParamEma.from(resume.ema);
      if (qac) {
        if (!resume.codeWeights) throw new Error('checkpoint of a QAC run lacks its code weights');
        usage = new CodeUsage(config.model.bits, config.model.levels, resume.codeWeights.slice());
      }
    }
    return new TrainerCore(
      config,
      dataset,
      session,
      order,
      ema,
      usage,
      shapes,
      parameterCounts(tg.params),
      resume?.step ?? 0,
      resume?.wallTimeSeconds ?? 0,
      resume?.lastLoss ?? null,
    );
  }

  get step(): number {
    return this.stepsDone;
  }

  get wallTimeSeconds(): number {
    return this.wallTime;
  }

  /** Shapes of every checkpointed tensor by name. */
  get tensorShapes(): ReadonlyMap<string, readonly number[]> {
    return this.shapes;
  }

  async trainStep(): Promise<StepReport> {
    const t0 = performance.now();
    const c = this.config;
    const step = this.stepsDone;
    const { images } = gather(this.dataset, this.order.next());
    const { sigma, noise } = stepNoise(c, step, images.length / c.batch);
    const lr = learningRate(c, step);
    const out = await this.session.run(
      { [FEED.images]: images, [FEED.noise]: noise, [FEED.sigma]: sigma },
      lr,
    );
    const loss = (out.loss as Float32Array)[0]!;
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(step + 1, loss);
    const mu = emaDecay(c, (step + 1) * c.batch);
    this.ema.update(this.session.params(), mu);
    let batchCodes = 0;
    let stats = { inUse: 0, perplexity: 0 };
    if (this.usage) {
      batchCodes = this.usage.update(out[CODES_OUT] as Float32Array, mu);
      stats = this.usage.stats();
    }
    this.stepsDone = step + 1;
    this.lastLoss = loss;
    const seconds = (performance.now() - t0) / 1000;
    this.wallTime += seconds;
    return {
      step: step + 1,
      loss,
      gradNorm: (out.gradNorm as Float32Array | undefined)?.[0] ?? NaN,
      lr,
      batchCodes,
      codesInUse: stats.inUse,
      perplexity: stats.perplexity,
      seconds,
    };
  }

  /** Copies of everything a checkpoint needs. */
  state(): RunState {
    const s = this.session.state();
    return {
      step: this.stepsDone,
      optimizer: new Map(s.tensors),
      ema: new Map([...this.ema.values].map(([k, v]) => [k, v.slice()])),
      codeWeights: this.usage ? this.usage.weights.slice() : null,
      batchOrder: this.order.state,
      wallTimeSeconds: this.wallTime,
      lastLoss: this.lastLoss,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
