import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { VecOps } from '../../core';
import { LINCOMB } from './lincomb-names';
import { createSession, type OrtWeb } from './ort';

/** The linear-combination sessions of one image shape, one per term count, opened on first use. */
export class LincombSessions {
  private readonly sessions = new Map<number, Promise<InferenceSession>>();

  constructor(
    private readonly ort: OrtWeb,
    private readonly ep: 'webgpu' | 'wasm',
    private readonly image: readonly [number, number, number],
  ) {}

  get(terms: number): Promise<InferenceSession> {
    let s = this.sessions.get(terms);
    if (!s) {
      // The graph builder (and its protobuf writer) loads only once a chain runs.
      s = import('./lincomb-graph').then(({ lincombGraph }) =>
        createSession(this.ort, lincombGraph(terms, this.image), {
          executionProviders: [this.ep],
          ...(this.ep === 'webgpu' ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
        }),
      );
      this.sessions.set(terms, s);
    }
    return s;
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    // A session that failed to open has nothing to release.
    await Promise.allSettled(all.map(async (s) => (await s).release()));
  }
}

/**
 * core's VecOps on ORT tensors of one batch shape, for one run. Results of the linear-combination
 * sessions stay where the EP puts them (GPU buffers on WebGPU), so steps chain without readback.
 * `keep` shares a tensor (they are never written after creation) with a reference count, and
 * `close` disposes whatever a run left alive (a cancelled or failed run included): ORT does not
 * garbage-collect GPU tensors.
 */
export class TensorOps implements VecOps<Tensor> {
  readonly length: number;
  private readonly refs = new Map<Tensor, number>();

  constructor(
    private readonly ort: OrtWeb,
    private readonly lincombs: LincombSessions,
    readonly dims: readonly number[],
  ) {
    this.length = dims.reduce((a, b) => a * b, 1);
  }

  /** Takes ownership of a tensor made elsewhere (a denoiser output). */
  adopt(t: Tensor): Tensor {
    this.refs.set(t, 1);
    return t;
  }

  async lincomb(c: readonly number[], v: readonly Tensor[], drop?: readonly Tensor[]) {
    if (c.length !== v.length || v.length === 0) {
      throw new RangeError(
        `lincomb needs one coefficient per tensor, got ${c.length} and ${v.length}`,
      );
    }
    const session = await this.lincombs.get(v.length);
    const batch = this.dims[0];
    const coeffs = new Float32Array(batch * c.length);
    for (let b = 0; b < batch; b++) coeffs.set(c, b * c.length);
    const feeds: Record<string, Tensor> = {
      [LINCOMB.coeffs]: new this.ort.Tensor('float32', coeffs, [batch, c.length, 1, 1]),
    };
    v.forEach((t, k) => (feeds[LINCOMB.term(k)] = t));
    const out = this.adopt((await session.run(feeds))[LINCOMB.out]);
    drop?.forEach((t) => this.free(t));
    return out;
  }

  keep(v: Tensor): Tensor {
    const n = this.refs.get(v);
    if (n === undefined) throw new Error('keep: the tensor is not alive in this run');
    this.refs.set(v, n + 1);
    return v;
  }

  fromCpu(fill: (out: Float32Array) => void): Tensor {
    const data = new Float32Array(this.length);
    fill(data);
    return this.adopt(new this.ort.Tensor('float32', data, this.dims));
  }

  free(v: Tensor | undefined): void {
    const n = v && this.refs.get(v);
    if (!v || n === undefined) return;
    if (n > 1) {
      this.refs.set(v, n - 1);
    } else {
      this.refs.delete(v);
      v.dispose();
    }
  }

  /** The values of a tensor of this run, read back to the CPU; frees it. */
  async read(v: Tensor): Promise<Float32Array> {
    const data = (v.location === 'cpu' ? v.data : await v.getData()) as Float32Array;
    const copy = v.location === 'cpu' ? data.slice() : data;
    this.free(v);
    return copy;
  }

  /** Disposes every tensor still alive. */
  close(): void {
    for (const t of this.refs.keys()) t.dispose();
    this.refs.clear();
  }
}
