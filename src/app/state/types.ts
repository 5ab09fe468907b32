// The store's shape: every slice's state and actions, and their union AppState. The slices
// (slices/*.ts) implement their part and read the rest through AppState; store.ts puts them
// together. Only types live here, so the slices and the store import it without a cycle.
import type { StoreApi } from 'zustand';
import type { ImageShape } from '../../core';
import type { Catalog } from '../../runtime/catalog';
import type { Notices } from '../normalize';
import type { BrowserTrainOptions } from '../training/config';
import type { PreparedUploads } from '../training/data/uploads';
import type { LossHistory, TrainDataInfo, TrainStatus } from '../training/protocol';
import type { SavedRunMeta } from '../training/store';
import type { SamplerClient, TrainClient } from '../worker/client';
import type { LoadBytes } from '../worker/load-progress';
import type { PickedFile } from '../worker/picked';
import type {
  LabCell,
  LabParams,
  LabReference,
  PairEdit,
  PairInfo,
  PairSample,
  SampleParams,
  SweepRow,
  Timing,
} from '../worker/protocol';
import type { PickedPair } from './byo';
import type { LabSlot } from './lab';
import type { Settings } from './settings';

/** The two workers' clients, handed in (main.tsx starts them) so that either can be replaced. */
export interface ClientSlice {
  client: SamplerClient;
  trainClient: TrainClient;
}

// slices/models.ts

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelsSlice {
  catalog: Catalog | null;
  pairInfo: PairInfo | null;
  /**
   * What pairInfo describes: the catalog id of a catalog pair, else the source's key (byo.ts
   * sourceKey; the settings may already name the next).
   */
  loadedPair: string | null;
  /** Model folders from the file picker, loaded instead of the settings' pair or URL. */
  picked: PickedPair | null;
  /** True once the catalog was fetched or failed: loads before that would load twice. */
  catalogDone: boolean;
  loadState: LoadState;
  loadError: string | null;
  /** The worker request of the load in flight: Cancel and a newer load stop it. */
  loadRequest: number | null;
  /** The load in flight's downloads so far (null before the first byte and when none runs). */
  loadBytes: LoadBytes | null;
  /**
   * Why the last "Load a model" input (a URL or a file pick) was refused; the pair on screen
   * stays. Null after one is taken.
   */
  loaderError: string | null;
  loadCatalog: () => Promise<void>;
  /** Loads the pair the settings name (or the catalog's default) into the worker. */
  loadPair: () => Promise<void>;
  /** Switches to a catalog pair (leaving any URL or picked model). */
  choosePair: (id: string) => void;
  /** Loads a model from a URL (manifest.json or its folder) with an optional baseline URL. */
  loadModelUrl: (model: string, baseline: string) => void;
  /** Loads picked model folders (a folder pick or the files of one model). */
  loadPickedFiles: (files: PickedFile[]) => Promise<void>;
  /** Stops the load in flight (its downloads are aborted); no pair is loaded afterwards. */
  cancelLoad: () => void;
}

// slices/sampling.ts

/** How far the current run is: which model, which step. */
interface RunProgress {
  model: 'qac' | 'baseline';
  step: number;
  steps: number;
}

interface Sweep {
  /** The settings whose sample 0 the sweep varies. */
  params: SampleParams;
  rows: SweepRow[];
}

interface Gallery {
  /** The settings (solver, NFE, seed) every code ran with. */
  params: SampleParams;
  codes: { index: number; weight: number }[];
  images: Float32Array;
}

export interface SamplingSlice {
  settings: Settings;
  /** What writes had to change (clamped, snapped, replaced), kept until dismissed. */
  notices: Notices;
  dismissNotices: () => void;
  /**
   * Writes settings through normalizeSettings (stored settings are always valid), then reruns
   * the view on screen when a setting it depends on changed: busy at once, the run a moment
   * later (debounced), superseding the one in flight.
   */
  setSettings: (patch: Partial<Settings>) => void;
  /** A fresh random seed. */
  reroll: () => void;
  /** Flips bit i of the QAC code; starting from the code the first sample used when drawing. */
  toggleBit: (i: number) => void;
  /** Runs the view on screen (the sample or the lab) now, in place of a pending rerun. */
  runView: () => void;
  sample: PairSample | null;
  /** True from a settings change until its run's every part is on screen. */
  sampleBusy: boolean;
  progress: RunProgress | null;
  sampleError: string | null;
  sweep: Sweep | null;
  gallery: Gallery | null;
  /** The filmstrip frame (step) on show. */
  frame: number;
  /** Request id of the run in flight, for cancelling; null when none. */
  running: number | null;
  runSample: () => Promise<void>;
  cancelSample: () => void;
  setFrame: (frame: number) => void;
  timing: Timing | null;
  /** Times the sampler against bare denoiser calls at the current settings. */
  measure: () => Promise<void>;
  /** Replaces the fixed code with one drawn from the sampling weights (seeded). */
  drawCode: () => Promise<void>;
}

// slices/editing.ts

interface EditInput {
  tensor: Float32Array;
  /** Where it came from, for the caption. */
  label: string;
  notice: string | null;
}

export type MaskTool = 'brush' | 'rect';

export interface EditingSlice {
  editInput: EditInput | null;
  inputError: string | null;
  /** 1 where the inpainting generates pixels, [H*W]. */
  mask: Uint8Array | null;
  maskTool: MaskTool;
  editResult: PairEdit | null;
  editBusy: boolean;
  editError: string | null;
  editProgress: number;
  editRunning: number | null;
  /** The code the encoder gave the current input. */
  encoded: number | null;
  pickExample: (k: number) => Promise<void>;
  pickUpload: (file: File) => Promise<void>;
  pickTensor: (tensor: Float32Array, label: string) => void;
  setMask: (mask: Uint8Array | null) => void;
  setMaskTool: (tool: MaskTool) => void;
  runEdit: () => Promise<void>;
  cancelEdit: () => void;
  /** Encodes the current input and makes its code drive the QAC model. */
  encodeInput: () => Promise<void>;
}

// slices/lab.ts

/** One lab request's grid as it fills in. */
export interface Lab {
  /** The settings every cell was made with. */
  params: LabParams;
  /** Rows (solvers) of columns (NFE), each slot with the NFE its solver spends there. */
  layout: LabSlot[][];
  /** Finished runs by labKey; slots whose solver snaps two columns alike share one. */
  cells: Record<string, LabCell>;
  reference: LabReference | null;
  /** Slots in the grid, and how many of them have their run. */
  total: number;
  filled: number;
  /** Request to last cell on screen, once the grid is full (what bench/browser.ts reads). */
  fillMs: number | null;
}

export interface LabSlice {
  lab: Lab | null;
  /** True from a change the lab depends on until its grid is full. */
  labBusy: boolean;
  labError: string | null;
  /** Request id of the lab in flight; null when none. */
  labRunning: number | null;
  /** A setting the lab depends on changed: busy from now, the run follows (debounced). */
  markLabPending: () => void;
  runLab: () => Promise<void>;
  cancelLab: () => void;
}

// slices/share.ts

/** How the last "copy link" went: copied, or the link shown for copying by hand. */
type LinkCopy = { state: 'copied'; url: string } | { state: 'manual'; url: string; why: string };

export interface ShareSlice {
  linkCopy: LinkCopy | null;
  /** Copies the URL of the current view (it holds every setting); shows it where that fails. */
  copyLink: () => Promise<void>;
  dismissLink: () => void;
}

// slices/trainOptions.ts

export interface TrainOptionsSlice {
  /** The options the next new run takes; a saved run's own while one is kept. */
  trainOptions: BrowserTrainOptions;
  /** The saved run (IndexedDB) the next start resumes, if it is unfinished; null when none. */
  trainSaved: SavedRunMeta | null;
  /** The latest accepted pick of images for an uploads run. */
  trainUploads: PreparedUploads | null;
  /** What was wrong with the latest pick (each unreadable file, too few images). */
  trainUploadProblems: string[];
  trainUploadBusy: boolean;
  /** Writes options through normalizeTrainOptions; what it changed joins the page's notices. */
  setTrainOptions: (patch: Partial<Record<keyof BrowserTrainOptions, unknown>>) => void;
  /** Decodes a pick of images; a pick with too few readable ones keeps the previous pick. */
  pickTrainFiles: (files: readonly File[]) => Promise<void>;
  /**
   * Reads the saved run's options (after a reload), so the form shows them before a start; a
   * `fresh` read (another tab changed the run) also replaces what a stopped run here showed.
   */
  loadSavedTraining: (fresh?: boolean) => Promise<void>;
}

// slices/training.ts

export type TrainPhase =
  'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'done' | 'error';

export interface TrainingSlice {
  trainStatus: TrainStatus | null;
  /** Every step's QAC and baseline loss of the current run (from step 1), for the chart. */
  trainLosses: LossHistory;
  trainPhase: TrainPhase;
  /** The data the current run trains on (name, source, count, first images). */
  trainData: TrainDataInfo | null;
  /** The latest live QAC samples of the run, the step they were made at and their shape. */
  trainSample: { step: number; images: Float32Array; count: number; shape: ImageShape } | null;
  trainError: string | null;
  /** The start request of the run going in this tab's worker (what Stop stops); null when none. */
  trainRequest: number | null;
  /** Trains a small QAC model and its baseline in a worker, with the panel's options. */
  startTraining: () => void;
  /** Stops after the step in flight; the run stays saved (IndexedDB) for the next start. */
  stopTraining: () => void;
  /** Downloads both models as model folders in a zip (the loader and the Node CLIs take them). */
  exportTraining: () => void;
  /** Forgets the saved run. */
  resetTraining: () => void;
  /**
   * Set while another tab of this browser owns the run (training/lock.ts): this tab cannot start,
   * stop or discard it. `step` of `steps` is its latest, once it has said.
   */
  trainElsewhere: { step: number; steps: number } | { step: null; steps: null } | null;
  /** Follows the other tabs' runs (what trainElsewhere shows); returns the stop function. */
  watchTraining: () => () => void;
}

export type AppState = ClientSlice &
  ModelsSlice &
  SamplingSlice &
  EditingSlice &
  LabSlice &
  ShareSlice &
  TrainOptionsSlice &
  TrainingSlice;
export type AppStore = StoreApi<AppState>;
