import samplerUrl from './sampler.worker.ts?worker&url';
import { startPolicyWorker } from './spawn';
import type { BackendInfo, Reply, RunPart, WorkerRequest, WorkerResponse } from './protocol';

type Ask = Exclude<WorkerRequest, { type: 'cancel' }>;
type Answer<T extends Ask['type']> = Extract<WorkerResponse, { type: Reply<T> }>;
type Transfer = (Float32Array | Uint8Array)[];

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

interface Pending {
  resolve: (r: WorkerResponse) => void;
  reject: (e: Error) => void;
  onPart?: (p: RunPart) => void;
}

const PARTS: ReadonlySet<WorkerResponse['type']> = new Set([
  'progress',
  'loadProgress',
  'sampled',
  'swept',
  'gallery',
  'labReference',
  'labCell',
]);

/** The main thread's side of the typed worker protocol: one promise per request. */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the worker has died; later requests fail at once instead of waiting forever. */
  private failure: Error | null = null;
  /** Called when the worker switches backend by itself. */
  onBackend: ((info: BackendInfo) => void) | null = null;

  constructor(worker: Worker) {
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.receive(e.data);
    worker.onerror = (e) => {
      this.failure = new Error(`the sampling worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
  }

  /** Sends a request; `onPart` receives what it streams (progress, a run's parts) until it ends. */
  request<T extends Ask['type']>(
    msg: Omit<Extract<Ask, { type: T }>, 'id'> & { type: T },
    opts: { onPart?: (p: RunPart) => void; transfer?: Transfer } = {},
  ): { id: number; done: Promise<Answer<T>> } {
    const id = this.nextId++;
    if (this.failure) return { id, done: Promise.reject(this.failure) };
    const done = new Promise<Answer<T>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (r: WorkerResponse) => void,
        reject,
        onPart: opts.onPart,
      });
    });
    const buffers = (opts.transfer ?? []).map((a) => a.buffer as ArrayBuffer);
    this.worker.postMessage({ ...msg, id }, buffers);
    return { id, done };
  }

  /** Stops a request: its promise rejects with CancelledError and nothing more of it arrives. */
  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.worker.postMessage({ type: 'cancel', id });
    p.reject(new CancelledError());
  }

  private receive(msg: WorkerResponse): void {
    if (msg.type === 'backend') {
      this.onBackend?.(msg.info);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (PARTS.has(msg.type)) {
      p.onPart?.(msg as RunPart);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(msg.message));
    else if (msg.type === 'cancelled') p.reject(new CancelledError());
    else p.resolve(msg);
  }
}

export function startWorker(): WorkerClient {
  return new WorkerClient(startPolicyWorker(samplerUrl, 'sampler'));
}
