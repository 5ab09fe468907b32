import samplerUrl from './sampler.worker.ts?worker&url';
import trainerUrl from '../training/train.worker.ts?worker&url';
import { TRAIN_PARTS, type TrainProtocol } from '../training/protocol';
import { RUN_PARTS, type SamplerProtocol } from './protocol';

/**
 * The shape both workers speak. Every request carries an id; the worker may stream parts of it
 * (`parts`) and ends it with its reply (`ends`), an `error` or a `cancelled`; a
 * `{ type: 'cancel', id }` stops it. Messages without an id are the worker's own news (`event`).
 */
interface Protocol {
  request: { type: string; id: number };
  reply: { type: string; id: number };
  event: { type: string };
  /** The reply type that ends each request type (an interface: request type -> reply type). */
  ends: object;
  parts: string;
}

type Ask<P extends Protocol> = P['request'];
type Answer<P extends Protocol, T extends keyof P['ends']> = Extract<
  P['reply'],
  { type: P['ends'][T] }
>;
export type Part<P extends Protocol> = Extract<P['reply'], { type: P['parts'] }>;
type Transfer = (Float32Array | Uint8Array)[];

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

interface Pending<P extends Protocol> {
  resolve: (r: P['reply']) => void;
  reject: (e: Error) => void;
  onPart?: (p: Part<P>) => void;
}

/**
 * The main thread's side of a worker: one promise per request, its parts by callback. The worker
 * starts at the first request (the training worker is not wanted on most visits).
 */
class WorkerClient<P extends Protocol> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending<P>>();
  private nextId = 1;
  /** Set once the worker has died; later requests fail at once instead of waiting forever. */
  private failure: Error | null = null;
  /** Called with the worker's own news (the sampler's switch of backend). */
  onEvent: ((event: P['event']) => void) | null = null;

  constructor(
    /** Names the worker in the error when it dies. */
    private readonly name: string,
    private readonly start: () => Worker,
    private readonly parts: ReadonlySet<string>,
  ) {}

  /** Whether the worker runs (it holds nothing before its first request). */
  get started(): boolean {
    return this.worker !== null;
  }

  /** Sends a request; `onPart` receives what it streams until it ends. */
  request<T extends Ask<P>['type'] & keyof P['ends']>(
    msg: Omit<Extract<Ask<P>, { type: T }>, 'id'> & { type: T },
    opts: { onPart?: (p: Part<P>) => void; transfer?: Transfer } = {},
  ): { id: number; done: Promise<Answer<P, T>> } {
    const id = this.nextId++;
    if (this.failure) return { id, done: Promise.reject(this.failure) };
    const done = new Promise<Answer<P, T>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (r: P['reply']) => void,
        reject,
        onPart: opts.onPart,
      });
    });
    const buffers = (opts.transfer ?? []).map((a) => a.buffer as ArrayBuffer);
    this.open().postMessage({ ...msg, id }, buffers);
    return { id, done };
  }

  /** Drops a request: its promise rejects with CancelledError and nothing more of it arrives. */
  cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.worker?.postMessage({ type: 'cancel', id });
    p.reject(new CancelledError());
  }

  /** Asks the worker to end a request early; it still ends with its reply (a run's last state). */
  stop(id: number): void {
    if (this.pending.has(id)) this.worker?.postMessage({ type: 'cancel', id });
  }

  /** Starts the worker now rather than at the first request (to get its set-up going). */
  open(): Worker {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.onmessage = (e: MessageEvent<P['reply'] | P['event']>) => this.receive(e.data);
    worker.onerror = (e) => {
      this.failure = new Error(`the ${this.name} worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.worker = worker;
    return worker;
  }

  private receive(msg: P['reply'] | P['event']): void {
    if (!('id' in msg)) {
      this.onEvent?.(msg);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (this.parts.has(msg.type)) {
      p.onPart?.(msg as Part<P>);
      return;
    }
    this.pending.delete(msg.id);
    // Every protocol ends a request that failed with these two.
    const end = msg as { type: string; message?: string };
    if (end.type === 'error') p.reject(new Error(end.message));
    else if (end.type === 'cancelled') p.reject(new CancelledError());
    else p.resolve(msg);
  }
}

/**
 * Starts a module worker that runs under the page's Content-Security-Policy. A worker loaded from
 * its own URL gets the policy of its script's response headers, not the page's meta tag, so on a
 * static host the workers (which do the model fetches) ran with no connect-src at all. A worker
 * started from a blob: URL inherits its creator's policy instead; the blob only imports the real
 * script (same origin, allowed by script-src 'self'), whose own imports resolve against its URL.
 */
function startPolicyWorker(scriptUrl: string, name: string): Worker {
  const absolute = new URL(scriptUrl, document.baseURI).href;
  const stub = new Blob([`import ${JSON.stringify(absolute)};\n`], { type: 'text/javascript' });
  // A few bytes, one per worker: never revoked, as revoking would race the worker's fetch of it.
  return new Worker(URL.createObjectURL(stub), { type: 'module', name });
}

export type SamplerClient = WorkerClient<SamplerProtocol>;
export type TrainClient = WorkerClient<TrainProtocol>;

/** The sampling worker, started at once: it sets ORT up while the page loads the catalog. */
export function startSampler(): SamplerClient {
  const client = new WorkerClient<SamplerProtocol>(
    'sampling',
    () => startPolicyWorker(samplerUrl, 'sampler'),
    new Set(RUN_PARTS),
  );
  client.open();
  return client;
}

/** The training worker: started by the first request, as most visits never train. */
export function startTrainer(): TrainClient {
  return new WorkerClient<TrainProtocol>(
    'training',
    () => startPolicyWorker(trainerUrl, 'train'),
    new Set(TRAIN_PARTS),
  );
}
