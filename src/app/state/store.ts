import { createStore, type StoreApi } from 'zustand';
import type { SamplerClient, TrainClient } from '../worker/client';
import type { Notices } from '../normalize';
import type { Settings } from './settings';
import { createEditingSlice, type EditingSlice } from './slices/editing';
import { createLabSlice, type LabSlice } from './slices/lab';
import { createModelsSlice, type ModelsSlice } from './slices/models';
import { createSamplingSlice, type SamplingSlice } from './slices/sampling';
import { createSettingsSlice, type SettingsSlice } from './slices/settings';
import { createShareSlice, type ShareSlice } from './slices/share';
import { createTrainOptionsSlice, type TrainOptionsSlice } from './slices/trainOptions';
import { createTrainingSlice, type TrainingSlice } from './slices/training';

/** The two workers' clients, handed in (main.tsx starts them) so that either can be replaced. */
export interface ClientSlice {
  client: SamplerClient;
  trainClient: TrainClient;
}

export type AppState = ClientSlice &
  SettingsSlice &
  ModelsSlice &
  SamplingSlice &
  EditingSlice &
  LabSlice &
  ShareSlice &
  TrainOptionsSlice &
  TrainingSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(
  clients: ClientSlice,
  initial: Settings,
  notices: Notices = [],
): AppStore {
  return createStore<AppState>()((...a) => ({
    ...clients,
    ...createSettingsSlice(initial, notices)(...a),
    ...createModelsSlice(...a),
    ...createSamplingSlice(...a),
    ...createEditingSlice(...a),
    ...createLabSlice(...a),
    ...createShareSlice(...a),
    ...createTrainOptionsSlice(...a),
    ...createTrainingSlice(...a),
  }));
}
