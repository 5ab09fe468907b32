import { createStore, type StoreApi } from 'zustand';
import type { WorkerClient } from '../worker/client';
import type { Notices, Settings } from './settings';
import { createEditingSlice, type EditingSlice } from './slices/editing';
import { createModelsSlice, type ModelsSlice } from './slices/models';
import { createSamplingSlice, type SamplingSlice } from './slices/sampling';
import { createSettingsSlice, type SettingsSlice } from './slices/settings';

export interface ClientSlice {
  client: WorkerClient;
}

export type AppState = ClientSlice & SettingsSlice & ModelsSlice & SamplingSlice & EditingSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(
  client: WorkerClient,
  initial: Settings,
  notices: Notices = [],
): AppStore {
  return createStore<AppState>()((...a) => ({
    client,
    ...createSettingsSlice(initial, notices)(...a),
    ...createModelsSlice(...a),
    ...createSamplingSlice(...a),
    ...createEditingSlice(...a),
  }));
}
