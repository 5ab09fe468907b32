import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { RunIo, RunPlan } from '../../core';
import { ModelError } from '../errors';
import type { OrtWeb } from './ort';
import { LincombSessions, TensorOps } from './tensor-ops';

/**
 * A plan bound to the model's device, what core's samplePlanWith runs: x_T uploaded, the
 * denoiser fed the plan's codes, the vector algebra on the device (`ops.read` brings a vector
 * back, `ops.close` disposes whatever the run left).
 */
export interface ChainRun extends RunIo<Tensor> {
  ops: TensorOps;
  /** The final x read back; a value that is not finite is refused, naming the denoiser. */
  result: (x: Tensor) => Promise<Float32Array>;
}

/**
 * A model's steps kept on its session's device: runtime's samplePair hands core the ChainRun of
 * `bind`, so the state, the denoiser's outputs and the solvers' arithmetic stay there. On WebGPU
 * the steps chain on GPU buffers (the denoiser's output stays there, linear combinations are
 * small ONNX graphs on the same device) and only the result, plus the step reports when traced,
 * is read back once at the end. Noise comes from core's per-sample streams on the CPU, so a seed
 * gives the pixels of the CPU path up to float rounding.
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

  /** A plan (core's planRun; its codeSigns are each sample's code) on this model's device. */
  bind(plan: RunPlan): ChainRun {
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
    const result = async (v: Tensor): Promise<Float32Array> => {
      const x = await ops.read(v);
      const bad = x.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) {
        throw new ModelError(
          file,
          'denoised',
          `the chained run ended at ${x[bad]} (value index ${bad})`,
        );
      }
      return x;
    };
    return { ops, x: ops.fromCpu((out) => out.set(plan.xT)), denoise, result };
  }

  /** Releases the linear-combination sessions (the denoiser belongs to the model). */
  release(): Promise<void> {
    return this.lincombs.release();
  }
}
