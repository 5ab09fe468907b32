import type { StateCreator } from 'zustand';
import { DEFAULT_BROWSER_TRAIN } from '../../train/config';
import { digitUrls } from '../../train/digits';
import type { TrainRequest, TrainResponse, TrainStatus } from '../../train/protocol';
import { download } from '../../images/npy';
import type { AppState } from '../store';

export type TrainPhase =
  'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'done' | 'error';

export interface TrainingSlice {
  trainStatus: TrainStatus | null;
  /** Every step's QAC and baseline loss of the current run, for the chart. */
  trainLosses: { qac: number[]; baseline: number[] };
  trainPhase: TrainPhase;
  /** The latest live QAC samples of the run and the step they were made at. */
  trainSample: { step: number; images: Float32Array; count: number } | null;
  trainError: string | null;
  /** Trains a small QAC model and its baseline in a worker, with the defaults. */
  startTraining: () => void;
  /** Stops after the step in flight; the run stays saved (IndexedDB) for the next start. */
  stopTraining: () => void;
  /** Downloads both models as model folders in a zip (the loader and the Node CLIs take them). */
  exportTraining: () => void;
  /** Forgets the saved run. */
  resetTraining: () => void;
}

// The training worker is started on first use: most visits never train.
let worker: Worker | null = null;

export const createTrainingSlice: StateCreator<AppState, [], [], TrainingSlice> = (set, get) => {
  const send = (msg: TrainRequest) => worker?.postMessage(msg);
  const receive = (e: MessageEvent<TrainResponse>) => {
    const msg = e.data;
    switch (msg.type) {
      case 'status':
        set((s) => ({
          trainLosses: {
            qac: [...s.trainLosses.qac, msg.status.qac.loss],
            baseline: [...s.trainLosses.baseline, msg.status.baseline.loss],
          },
          trainStatus: msg.status,
          trainPhase: s.trainPhase === 'stopping' ? 'stopping' : 'running',
        }));
        return;
      case 'stopped':
        set({ trainPhase: msg.finished ? 'done' : 'stopped' });
        return;
      case 'sample':
        set({ trainSample: { step: msg.step, images: msg.images, count: msg.count } });
        return;
      case 'exported':
        download(msg.zip, msg.name, 'application/zip');
        return;
      case 'reset':
        set({ trainPhase: 'idle', trainStatus: null, trainLosses: { qac: [], baseline: [] } });
        return;
      case 'error':
        set({ trainPhase: 'error', trainError: msg.message });
        return;
    }
  };
  return {
    trainStatus: null,
    trainLosses: { qac: [], baseline: [] },
    trainPhase: 'idle',
    trainSample: null,
    trainError: null,
    startTraining: () => {
      const phase = get().trainPhase;
      if (phase === 'starting' || phase === 'running' || phase === 'stopping') return;
      if (!worker) {
        worker = new Worker(new URL('../../train/train.worker.ts', import.meta.url), {
          type: 'module',
        });
        worker.onmessage = receive;
        worker.onerror = (e) => set({ trainPhase: 'error', trainError: e.message });
      }
      set({
        trainPhase: 'starting',
        trainError: null,
        trainStatus: null,
        trainLosses: { qac: [], baseline: [] },
      });
      send({ type: 'start', options: DEFAULT_BROWSER_TRAIN, digitUrls: digitUrls() });
    },
    exportTraining: () => send({ type: 'export' }),
    resetTraining: () => send({ type: 'reset' }),
    stopTraining: () => {
      if (get().trainPhase !== 'running' && get().trainPhase !== 'starting') return;
      set({ trainPhase: 'stopping' });
      send({ type: 'stop' });
    },
  };
};
