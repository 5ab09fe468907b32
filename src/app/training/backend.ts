// Which execution provider the browser trainer runs on: WebGPU when the settings allow it and the
// browser has an adapter, else wasm; WebGPU falls back to wasm, with the reason shown, when its
// sessions fail to open or its first step of a session gives a non-finite loss.
import { webGpuMissing } from '../../runtime/web';
import { WebTrainSession, type TrainEp } from '../../runtime/web/train-session';
import type { RunState } from '../../train/trainer/checkpoint-state';
import type { ImageDataset } from '../../train/data/types';
import { TrainerCore, type StepReport } from '../../train/trainer/trainer-core';
import type { BackendChoice } from '../state/settings';
import type { BrowserTrainOptions, RunConfigs } from './config';

/** What the run trains on, and why not WebGPU (null when it does, or when WebGPU was not asked). */
export interface TrainBackend {
  ep: TrainEp;
  reason: string | null;
}

/** Both models' trainers on one backend; `checked` once a WebGPU step came back finite. */
export interface Trainers {
  options: BrowserTrainOptions;
  /** Each model's TrainConfig, fixed when the run starts and saved with it (as a checkpoint's). */
  configs: RunConfigs;
  dataset: ImageDataset;
  qac: TrainerCore;
  baseline: TrainerCore;
  backend: TrainBackend;
  checked: boolean;
}

interface Resume {
  qac: RunState;
  baseline: RunState;
}

async function open(
  ep: TrainEp,
  configs: RunConfigs,
  dataset: ImageDataset,
  resume: Resume | undefined,
): Promise<[TrainerCore, TrainerCore]> {
  const session: Parameters<typeof TrainerCore.create>[3] = (graph, init) =>
    WebTrainSession.create(graph, init, ep);
  const create = (mode: 'qac' | 'baseline') =>
    TrainerCore.create(configs[mode], dataset, resume?.[mode], session);
  const [q, b] = await Promise.allSettled([create('qac'), create('baseline')]);
  if (q.status === 'fulfilled' && b.status === 'fulfilled') return [q.value, b.value];
  await Promise.all([q, b].map((m) => (m.status === 'fulfilled' ? m.value.release() : null)));
  throw q.status === 'rejected' ? q.reason : (b as PromiseRejectedResult).reason;
}

/** Opens both trainers on the backend `choice` allows ('auto': WebGPU when there is an adapter). */
export async function openTrainers(
  choice: BackendChoice,
  options: BrowserTrainOptions,
  configs: RunConfigs,
  dataset: ImageDataset,
  resume?: Resume,
): Promise<Trainers> {
  const missing = choice === 'wasm' ? 'wasm was chosen in the settings' : await webGpuMissing();
  let reason = missing;
  if (missing === null) {
    try {
      const [qac, baseline] = await open('webgpu', configs, dataset, resume);
      const backend = { ep: 'webgpu' as const, reason };
      return { options, configs, dataset, qac, baseline, backend, checked: false };
    } catch (e) {
      reason = `WebGPU could not open the step graphs: ${(e as Error).message}`;
    }
  }
  const [qac, baseline] = await open('wasm', configs, dataset, resume);
  return {
    options,
    configs,
    dataset,
    qac,
    baseline,
    backend: { ep: 'wasm', reason },
    checked: true,
  };
}

/**
 * One step of both models. The first WebGPU step of a session is checked: a non-finite loss
 * (a kernel the GPU got wrong) reopens both trainers on wasm from the state before the step and
 * takes it there, so the run goes on as if it had been on wasm all along.
 */
export async function stepBoth(t: Trainers): Promise<[StepReport, StepReport]> {
  const before = t.checked ? null : { qac: t.qac.state(), baseline: t.baseline.state() };
  const q = await t.qac.trainStep();
  const b = await t.baseline.trainStep();
  if (!before || (Number.isFinite(q.loss) && Number.isFinite(b.loss))) {
    t.checked = true;
    return [q, b];
  }
  await Promise.all([t.qac.release(), t.baseline.release()]);
  [t.qac, t.baseline] = await open('wasm', t.configs, t.dataset, before);
  t.backend = {
    ep: 'wasm',
    reason: `WebGPU's first step gave a non-finite loss (QAC ${q.loss}, baseline ${b.loss})`,
  };
  t.checked = true;
  return [await t.qac.trainStep(), await t.baseline.trainStep()];
}
