import type { StateCreator } from 'zustand';
import { digitUrls } from '../../training/digits';
import type { LossHistory, TrainProtocol } from '../../training/protocol';
import { download } from '../../images/npy';
import type { Part } from '../../worker/client';
import { listen, randomId, runLockHeld, RunElsewhereError, withRunLock } from '../../training/lock';
import { clearRun } from '../../training/store';
import type { AppState, TrainingSlice, TrainPhase } from '../types';
import { resumable } from './trainOptions';

const EMPTY: LossHistory = { qac: [], baseline: [] };

/** A run is going: the options, the data and the saved run are not to be changed. */
export const trainActive = (phase: TrainPhase) =>
  phase === 'starting' || phase === 'running' || phase === 'stopping';

/** The options form is locked while a run goes and while a saved run waits to resume. */
export const selectTrainLocked = (s: AppState) =>
  trainActive(s.trainPhase) || resumable(s.trainSaved);

/** This tab, as the run's news names it (its own news is not news to it). */
const TAB = randomId();
/** How often a tab that sees a run elsewhere checks that its owner is still there. */
const ELSEWHERE_POLL_MS = 2_000;

export const createTrainingSlice: StateCreator<AppState, [], [], TrainingSlice> = (set, get) => {
  const forgotten = () =>
    set({
      trainPhase: 'idle',
      trainStatus: null,
      trainLosses: EMPTY,
      trainSaved: null,
      trainData: null,
      trainSample: null,
    });
  const failed = (err: unknown) =>
    set({ trainPhase: 'error', trainError: (err as Error).message, trainRequest: null });
  const part = (msg: Part<TrainProtocol>) => {
    switch (msg.type) {
      case 'started':
        set({ trainOptions: msg.options, trainData: msg.data, trainLosses: msg.losses });
        return;
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
      case 'sample':
        set({
          trainSample: { step: msg.step, images: msg.images, count: msg.count, shape: msg.shape },
        });
        return;
    }
  };
  return {
    trainStatus: null,
    trainLosses: EMPTY,
    trainPhase: 'idle',
    trainData: null,
    trainSample: null,
    trainError: null,
    trainRequest: null,
    trainElsewhere: null,
    watchTraining: () => {
      let poll: ReturnType<typeof setInterval> | undefined;
      let live = true;
      const elsewhere = (e: TrainingSlice['trainElsewhere']) => {
        set({ trainElsewhere: e });
        clearInterval(poll);
        // An owner that closes or crashes says nothing: its lock just goes.
        if (e) poll = setInterval(() => void refresh(), ELSEWHERE_POLL_MS);
      };
      const refresh = async () => {
        const held = await runLockHeld();
        if (!live) return;
        if (held && !trainActive(get().trainPhase)) {
          elsewhere(get().trainElsewhere ?? { step: null, steps: null });
          return;
        }
        const was = get().trainElsewhere;
        elsewhere(null);
        // The owner let go: the saved run is what it left.
        if (was && !trainActive(get().trainPhase)) await get().loadSavedTraining(true);
      };
      const stop = listen((news) => {
        if (news.from === TAB || trainActive(get().trainPhase)) return;
        if (news.type === 'running') elsewhere({ step: news.step, steps: news.steps });
        else void refresh();
      });
      void refresh();
      return () => {
        live = false;
        clearInterval(poll);
        stop();
      };
    },
    startTraining: () => {
      const { trainPhase, trainOptions, trainUploads, trainSaved } = get();
      if (trainActive(trainPhase)) return;
      if (get().trainElsewhere) {
        set({ trainError: new RunElsewhereError().message });
        return;
      }
      // A saved uploads run resumes on the images stored with it; a new one needs a pick.
      if (trainOptions.data === 'uploads' && !trainUploads && !resumable(trainSaved)) {
        set({ trainError: 'pick your images first (the file input under "Training data")' });
        return;
      }
      set({ trainPhase: 'starting', trainError: null, trainStatus: null, trainLosses: EMPTY });
      const { id, done } = get().trainClient.request(
        {
          type: 'start',
          options: trainOptions,
          digitUrls: digitUrls(),
          uploads: trainOptions.data === 'uploads' ? trainUploads : null,
          backend: get().settings.backend,
          tab: TAB,
        },
        { onPart: part },
      );
      set({ trainRequest: id });
      done.then(
        (msg) =>
          set((s) => ({
            trainPhase: msg.finished ? 'done' : 'stopped',
            trainSaved:
              msg.saved !== null ? { options: s.trainOptions, step: msg.saved } : s.trainSaved,
            trainError: msg.saveError,
            trainRequest: null,
          })),
        failed,
      );
    },
    exportTraining: () =>
      get()
        .trainClient.request({ type: 'export' })
        .done.then((msg) => download(msg.zip, msg.name, 'application/zip'), failed),
    resetTraining: () => {
      const client = get().trainClient;
      // Without a worker nothing is in memory: the saved run is forgotten here, by its owner.
      if (client.started) client.request({ type: 'reset', tab: TAB }).done.then(forgotten, failed);
      else
        withRunLock(clearRun).then(forgotten, (err: unknown) =>
          set({ trainError: (err as Error).message }),
        );
    },
    stopTraining: () => {
      const { trainPhase, trainRequest } = get();
      if ((trainPhase !== 'running' && trainPhase !== 'starting') || trainRequest === null) return;
      set({ trainPhase: 'stopping' });
      get().trainClient.stop(trainRequest);
    },
  };
};
