import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { samplePlanWith, type RunPlan, type StepInfo } from '../../core';
import { ModelError } from '../errors';
import type { OrtWeb } from './ort';
import { LincombSessions, TensorOps } from './tensor-ops';

export interface ChainOptions {
  /** Keep every step's report where it was computed and read them all back with the result. */
  trace?: boolean;
  /** Called once each step is queued (progress); a throw stops the run. */
  onStep?: (step: number) => void;
  /** Awaited before every denoiser call; a throw stops the run. */
  interrupt?: () => void | Promise<void>;
}

export interface ChainResult {
  x: Float32Array;
  nfe: number;
  /** The step reports (whole batch) when `trace` was set, else null. */
  steps: StepInfo[] | null;
}

/**
 * core.samplePlan with the state, the denoiser's outputs and the solvers' arithmetic kept on the
 * session's device: on WebGPU the steps chain on GPU buffers (the denoiser's output stays there,
 * linear combinations are small ONNX graphs on the same device) and only the result, plus the
 * step reports when traced, is read back once at the end. Noise comes from core's per-sample
 * streams on the CPU, so a seed gives the pixels of the CPU path up to float rounding.
 */
export class StepChain {
  private readonly lincombs: LincombSessions;

  constructor(
    private readonly ort: OrtWeb,
    private readonly denoiser: InferenceSession,
    private readonly file: string,
    private readonly image: readonly [number, number, number],
    private readonly codeBits: number,
    ep: 'webgpu' | 'wasm',
  ) {
    this.lincombs = new LincombSessions(ort, ep, image);
  }

  /** Runs a plan (core's planRun; its codeSigns are each sample's code) on this model. */
  async sample(plan: RunPlan, opts: ChainOptions = {}): Promise<ChainResult> {
    const { ort, codeBits, file } = this;
    const { batch, codeSigns } = plan;
    const dims = [batch, ...this.image];
    const ops = new TensorOps(ort, this.lincombs, dims);
    if (plan.xT.length !== ops.length) {
      throw new ModelError(
        file,
        'x',
        `expected ${dims.join('x')} = ${ops.length} values, got ${plan.xT.length}`,
      );
    }
    if (codeBits > 0 && codeSigns?.length !== batch * codeBits) {
      throw new ModelError(
        file,
        'code',
        `expected ${batch}x${codeBits} code values, got ${codeSigns?.length ?? 'none'}`,
      );
    }
    const code = codeBits > 0 ? new ort.Tensor('float32', codeSigns!, [batch, codeBits]) : null;
    const denoise = async (x: Tensor, sigma: number): Promise<Tensor> => {
      const feeds: Record<string, Tensor> = {
        x,
        sigma: new ort.Tensor('float32', new Float32Array(batch).fill(sigma), [batch]),
      };
      if (code) feeds.code = code;
      return ops.adopt((await this.denoiser.run(feeds)).denoised);
    };
    const kept: StepInfo<Tensor>[] = [];
    try {
      const xT = ops.fromCpu((out) => out.set(plan.xT));
      const run = await samplePlanWith(plan, {
        ops,
        x: xT,
        denoise,
        interrupt: opts.interrupt,
        onStep: (s) => {
          if (opts.trace) kept.push(s);
          else [s.x, s.denoised, s.d].forEach((v) => ops.free(v));
          opts.onStep?.(s.i);
        },
      });
      const x = await ops.read(run.x);
      const bad = x.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new ModelError(
          file,
          'denoised',
          `the chained run ended at ${x[bad]} (value index ${bad})`,
        );
      }
      // All reads at once: each waits for a GPU-to-CPU copy, and they need not wait in turn.
      const steps = opts.trace
        ? await Promise.all(
            kept.map(async (s) => {
              const [sx, den, d] = await Promise.all(
                [s.x, s.denoised, s.d].map((v) => ops.read(v)),
              );
              return { ...s, x: sx, denoised: den, d };
            }),
          )
        : null;
      return { x, nfe: run.nfe, steps };
    } finally {
      ops.close();
    }
  }

  /** Releases the linear-combination sessions (the denoiser belongs to the model). */
  release(): Promise<void> {
    return this.lincombs.release();
  }
}
