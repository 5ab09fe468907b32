import { GraphError, type Tensor } from './graph';
import { grad } from './grad/grad';
import { add, concat, div, maximum, mul, pow, reduceSum, reshape, split, sqrt, sub } from './ops';
import type { Params } from './params';
import { serialize, type ModelGraph, type TensorInfo } from './serialize';
import type { Shape } from './types';

export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay (AdamW); 0 by default. */
  readonly weightDecay?: number;
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  readonly clipGlobalNorm?: number;
}

/** One slot of optimiser state: fed in as `input`, the updated value comes out as `output`. */
interface StateSlot {
  readonly input: string;
  readonly output: string;
  readonly param: string;
  readonly kind: 'param' | 'adamM' | 'adamV';
  readonly shape: Shape;
}

/** A serialised training step: forward, backward and Adam update in one ONNX graph. */
export interface StepGraph {
  readonly model: Uint8Array;
  /** Data inputs the caller feeds every step (not the state, learning rate or step number). */
  readonly feeds: readonly TensorInfo[];
  readonly state: readonly StateSlot[];
  /** Extra outputs requested by the caller, plus 'loss' (and 'gradNorm' when clipping). */
  readonly outputs: readonly TensorInfo[];
  /** Scalar float input: the learning rate of this step (warm-up is just a fed schedule). */
  readonly lrInput: string;
  /** Scalar float input: the 1-based step number, for Adam's bias correction. */
  readonly stepInput: string;
}

const LR_INPUT = 'adam.lr';
const STEP_INPUT = 'adam.t';

export interface StepOptions {
  readonly loss: Tensor;
  readonly adam?: AdamOptions;
  /** Extra tensors to return each step (e.g. code bits for usage counting). */
  readonly outputs?: Readonly<Record<string, Tensor>>;
}

/**
 * The most parameter tensors one Adam group joins. Adam runs over each group's tensors
 * concatenated into one vector: a dozen elementwise nodes per group, not per tensor. Groups stay
 * this small for WebGPU's Split, which binds every output as its own storage buffer: ORT's native
 * WebGPU EP (1.31) refuses a Split with more outputs than the device's storage buffers per shader
 * stage ("Too many storage buffers in shader"; WebGPU guarantees 8, SwiftShader gives 10), so the
 * tiny preset's 131 tensors in one Split fail (e2e/step-webgpu.spec.ts keeps that case as a
 * canary). Seven outputs and the input make eight. Its Concat of 131 is right, which JSEP's was
 * not (WGSL's 127-deep else-if chain).
 */
export const ADAM_GROUP = 7;

/** Parameter indices in groups of at most ADAM_GROUP, in order. */
function adamGroups(n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i += ADAM_GROUP) {
    out.push(Array.from({ length: Math.min(ADAM_GROUP, n - i) }, (_, k) => i + k));
  }
  return out;
}

function checkTrainable(params: Params): [string, Tensor][] {
  const list = [...params.tensors];
  if (list.length === 0) throw new GraphError('training step: the model declared no parameters');
  for (const [name, t] of list) {
    if (t.role !== 'param')
      throw new GraphError(`training step: parameter '${name}' was built in export mode`);
  }
  return list;
}

/**
 * Append backward pass and Adam update (with bias correction and optional global-norm
 * clipping) for every parameter in `params`, and serialise the step graph.
 */
export function buildTrainingStep(params: Params, opts: StepOptions): StepGraph {
  const g = params.graph;
  const list = checkTrainable(params);
  const b1 = opts.adam?.beta1 ?? 0.9;
  const b2 = opts.adam?.beta2 ?? 0.999;
  const eps = opts.adam?.eps ?? 1e-8;
  const wd = opts.adam?.weightDecay ?? 0;
  const clip = opts.adam?.clipGlobalNorm;
  const grads = grad(
    opts.loss,
    list.map(([, t]) => t),
  );
  const lr = g.input(LR_INPUT, [], 'float32');
  const t = g.input(STEP_INPUT, [], 'float32');
  for (const name of Object.keys(opts.outputs ?? {})) {
    if (name === 'loss' || name === 'gradNorm' || name.endsWith('.next')) {
      throw new GraphError(
        `training step: output name '${name}' is reserved for the step's own outputs`,
      );
    }
  }
  const outputs: Record<string, Tensor> = { ...opts.outputs, loss: opts.loss };
  const flat = (ts: readonly Tensor[]): Tensor =>
    concat(
      ts.map((x) => reshape(x, [x.size])),
      0,
    );
  const groups = adamGroups(list.length);
  const ms = list.map(([name, p]) => g.input(`adam.m.${name}`, p.shape));
  const vs = list.map(([name, p]) => g.input(`adam.v.${name}`, p.shape));
  let ds = groups.map((idx) => flat(idx.map((i) => grads[i]!)));
  if (clip !== undefined) {
    const norm = sqrt(ds.map((d) => reduceSum(mul(d, d), null)).reduce((a, b) => add(a, b)));
    outputs.gradNorm = norm;
    const scale = div(clip, maximum(norm, clip));
    ds = ds.map((d) => mul(d, scale));
  }
  // Fold bias correction into two scalars: step = lr / (1 - b1^t), vScale = 1 / (1 - b2^t).
  const stepSize = div(lr, sub(1, pow(b1, t)));
  const vScale = div(1, sub(1, pow(b2, t)));
  const next = { param: [] as Tensor[], adamM: [] as Tensor[], adamV: [] as Tensor[] };
  groups.forEach((idx, k) => {
    const d = ds[k]!;
    const ps = idx.map((i) => list[i]![1]);
    const unflat = (x: Tensor): Tensor[] =>
      split(
        x,
        ps.map((p) => p.size),
        0,
      ).map((part, j) => reshape(part, ps[j]!.shape));
    const p0 = flat(ps);
    const m1 = add(mul(flat(idx.map((i) => ms[i]!)), b1), mul(d, 1 - b1));
    const v1 = add(mul(flat(idx.map((i) => vs[i]!)), b2), mul(mul(d, d), 1 - b2));
    const update = div(mul(m1, stepSize), add(sqrt(mul(v1, vScale)), eps));
    const p1 = sub(wd > 0 ? mul(p0, sub(1, mul(lr, wd))) : p0, update);
    next.param.push(...unflat(p1));
    next.adamM.push(...unflat(m1));
    next.adamV.push(...unflat(v1));
  });
  const state: StateSlot[] = [];
  const slots: [readonly Tensor[], StateSlot['kind']][] = [
    [list.map(([, p]) => p), 'param'],
    [ms, 'adamM'],
    [vs, 'adamV'],
  ];
  for (const [inputs, kind] of slots) {
    inputs.forEach((input, i) => {
      const output = `${input.name}.next`;
      outputs[output] = next[kind][i]!;
      state.push({ input: input.name, output, param: list[i]![0], kind, shape: input.shape });
    });
  }
  const ser = serialize(g, { outputs, graphName: 'train_step' });
  const stateInputs = new Set(state.map((s) => s.input));
  const stateOutputs = new Set(state.map((s) => s.output));
  return {
    model: ser.model,
    feeds: ser.inputs.filter(
      (i) => !stateInputs.has(i.name) && i.name !== LR_INPUT && i.name !== STEP_INPUT,
    ),
    state,
    outputs: ser.outputs.filter((o) => !stateOutputs.has(o.name)),
    lrInput: LR_INPUT,
    stepInput: STEP_INPUT,
  };
}

/**
 * Forward pass plus gradients (named `grad.<param>`) without an update: for gradient
 * checks, dumps and parity tests.
 */
export function buildGradientGraph(
  params: Params,
  loss: Tensor,
  outputs: Readonly<Record<string, Tensor>> = {},
): ModelGraph {
  const list = checkTrainable(params);
  const grads = grad(
    loss,
    list.map(([, t]) => t),
  );
  const named: Record<string, Tensor> = { ...outputs, loss };
  list.forEach(([name], i) => (named[`grad.${name}`] = grads[i]!));
  return serialize(params.graph, { outputs: named, graphName: 'gradients' });
}
