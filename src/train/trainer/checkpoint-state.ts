import type { BatchOrderState } from '../data';
import type { JsonObject, Tensor as CkptTensor } from '../io/checkpoint';
import { withLegacyDefaults, type TrainConfig } from './config';

/** Where a run stands between two steps: everything a checkpoint restores. */
export interface RunState {
  /** Steps completed. */
  step: number;
  /** Optimiser state by step-graph input name (parameters and Adam moments). */
  optimizer: Map<string, Float32Array>;
  /** EMA parameters by parameter name. */
  ema: Map<string, Float32Array>;
  /** Dense code-usage sampling weights (QAC only). */
  codeWeights: Float32Array | null;
  batchOrder: BatchOrderState;
  wallTimeSeconds: number;
  lastLoss: number | null;
}

const EMA_PREFIX = 'ema:';
const CODE_WEIGHTS = 'codeWeights';

/** Checkpoint meta plus tensors (the format itself belongs to src/train/io). */
export function encodeRunState(
  config: TrainConfig,
  s: RunState,
  shapes: ReadonlyMap<string, readonly number[]>,
): { meta: JsonObject; tensors: Record<string, CkptTensor> } {
  const tensors: Record<string, CkptTensor> = {};
  const shapeOf = (name: string, n: number) => [...(shapes.get(name) ?? [n])];
  for (const [k, v] of s.optimizer) tensors[k] = { shape: shapeOf(k, v.length), data: v };
  for (const [k, v] of s.ema) tensors[EMA_PREFIX + k] = { shape: shapeOf(k, v.length), data: v };
  if (s.codeWeights) tensors[CODE_WEIGHTS] = { shape: [s.codeWeights.length], data: s.codeWeights };
  const meta: JsonObject = {
    kind: 'qac-train-state',
    step: s.step,
    batchOrder: { epoch: s.batchOrder.epoch, position: s.batchOrder.position },
    wallTimeSeconds: s.wallTimeSeconds,
    lastLoss: s.lastLoss,
    config: JSON.parse(JSON.stringify(config)) as JsonObject,
  };
  return { meta, tensors };
}

export function decodeRunState(
  file: string,
  meta: JsonObject,
  tensors: Record<string, CkptTensor>,
): { config: TrainConfig; state: RunState } {
  if (meta.kind !== 'qac-train-state')
    throw new Error(`checkpoint ${file}: not a training checkpoint`);
  const optimizer = new Map<string, Float32Array>();
  const ema = new Map<string, Float32Array>();
  let codeWeights: Float32Array | null = null;
  for (const [k, t] of Object.entries(tensors)) {
    if (k === CODE_WEIGHTS) codeWeights = t.data;
    else if (k.startsWith(EMA_PREFIX)) ema.set(k.slice(EMA_PREFIX.length), t.data);
    else optimizer.set(k, t.data);
  }
  const order = meta.batchOrder as { epoch: number; position: number };
  return {
    config: withLegacyDefaults(meta.config as unknown as TrainConfig),
    state: {
      step: meta.step as number,
      optimizer,
      ema,
      codeWeights,
      batchOrder: { epoch: order.epoch, position: order.position },
      wallTimeSeconds: meta.wallTimeSeconds as number,
      lastLoss: meta.lastLoss as number | null,
    },
  };
}
