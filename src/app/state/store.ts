import { createStore } from 'zustand';
import type { Notices } from '../normalize';
import type { Settings } from './settings';
import type { AppState, AppStore, ClientSlice } from './types';
import { createEditingSlice } from './slices/editing';
import { createLabSlice } from './slices/lab';
import { createModelsSlice } from './slices/models';
import { createSamplingSlice } from './slices/sampling';
import { createShareSlice } from './slices/share';
import { createTrainOptionsSlice } from './slices/trainOptions';
import { createTrainingSlice } from './slices/training';

export function createAppStore(
  clients: ClientSlice,
  initial: Settings,
  notices: Notices = [],
): AppStore {
  return createStore<AppState>()((...a) => ({
    ...clients,
    ...createSamplingSlice(initial, notices)(...a),
    ...createModelsSlice(...a),
    ...createEditingSlice(...a),
    ...createLabSlice(...a),
    ...createShareSlice(...a),
    ...createTrainOptionsSlice(...a),
    ...createTrainingSlice(...a),
  }));
}
