/**
 * Resolves on the worker's next task. A wasm ORT call finishes without ever returning to the event
 * loop, so a worker that awaits only ORT reads no message (a cancel, a newer request, a stop) until
 * its whole job is done; awaiting this between calls lets those messages in. A MessageChannel task
 * is not clamped the way nested timeouts are.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
