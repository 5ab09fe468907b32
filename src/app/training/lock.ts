// One tab owns the browser's training run. Every tab of an origin shares one IndexedDB, which
// holds one saved run: two tabs training at once replaced each other's steps, and a tab starting
// a new run deleted the images of an uploads run another tab was training. The owner holds a Web
// Lock (navigator.locks: released by the browser when its holder stops, its tab closes or
// crashes) while it trains, discards or writes the run; other tabs are refused and say so.

/** The Web Lock the owner of the run holds. */
const RUN_LOCK = 'qac-playground-training-run';
/** Where the owner says what it does, so other tabs can show it (and re-read the saved run). */
const RUN_CHANNEL = 'qac-playground-training';

/** What the owner says; `from` names its tab, which ignores its own news. */
export type RunNews = { from: string } & (
  | /** The owner took a step (`step` of `steps`). */
    { type: 'running'; step: number; steps: number }
    /** The owner let go: the saved run may have changed (saved, finished, discarded). */
  | { type: 'released' }
);

export class RunElsewhereError extends Error {
  constructor() {
    super(
      'a training run is going in another tab of this browser: stop it there first ' +
        '(this tab cannot start, stop or discard it meanwhile)',
    );
    this.name = 'RunElsewhereError';
  }
}

/** A random id for a run or a tab (randomUUID needs a secure context; the fallback does not). */
export function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}

/** navigator.locks where the browser has it (every current one, in secure contexts). */
function locks(): LockManager | null {
  return (globalThis.navigator as Navigator | undefined)?.locks ?? null;
}

/**
 * Runs `fn` holding the run's lock; throws RunElsewhereError at once when another tab holds it.
 * Without Web Locks (an insecure context) `fn` runs unguarded: there is nothing to coordinate on.
 */
export async function withRunLock<T>(fn: () => Promise<T>): Promise<T> {
  const manager = locks();
  if (!manager) return fn();
  let ran = false;
  const result = await manager.request(RUN_LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) return undefined;
    ran = true;
    return fn();
  });
  if (!ran) throw new RunElsewhereError();
  return result as T;
}

/** Whether some context (this tab's trainer included) holds the run's lock now. */
export async function runLockHeld(): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const { held = [] } = await manager.query();
  return held.some((l) => l.name === RUN_LOCK);
}

let channel: BroadcastChannel | null = null;

/** Tells other tabs what the run's owner does; a no-op where BroadcastChannel is missing. */
export function announce(news: RunNews): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel ??= new BroadcastChannel(RUN_CHANNEL);
  channel.postMessage(news);
}

/** Calls `fn` with what other tabs announce; returns the function that stops listening. */
export function listen(fn: (news: RunNews) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const ch = new BroadcastChannel(RUN_CHANNEL);
  ch.onmessage = (e: MessageEvent<RunNews>) => fn(e.data);
  return () => ch.close();
}
