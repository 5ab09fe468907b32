import type { ImageShape, PlanePoint, RunSettings, SolverName } from '../../core';
import type { BackendChoice, EditMode } from '../state/settings';

/** Which runtime the worker ended up on, and why it is not the preferred one. */
export interface BackendInfo {
  kind: 'webgpu' | 'wasm';
  /** The wasm threads onnxruntime-web settled on (more than 1 needs cross-origin isolation). */
  threads: number;
  crossOriginIsolated: boolean;
  /** Why WebGPU is not used (no adapter, failed session, lost device, chosen), or null. */
  fallbackReason: string | null;
  /** On WebGPU: why the steps are not chained on the GPU (the chain failed), or null. */
  chainOff: string | null;
}

export interface CodeStats {
  bits: number;
  /** Codes with a non-zero weight, heaviest first (index, weight). */
  top: { index: number; weight: number }[];
  distinct: number;
  entropyBits: number;
  perplexity: number;
}

export interface PairInfo {
  qacName: string;
  /** Null for a QAC model loaded alone (?model= without &baseline=): no baseline beside it. */
  baselineName: string | null;
  shape: ImageShape;
  /** Null when the model is a baseline loaded alone (an imported model): it takes no code. */
  codes: CodeStats | null;
  backend: BackendInfo;
  /** One line per model: its training length, recipe and FID proxy against the real-data floor. */
  summaries: string[];
}

/** The settings of a run as the page sends them: core's RunSettings with one code or none. */
export type SampleParams = Required<
  Pick<RunSettings, 'solver' | 'nfe' | 'afs' | 'gridEnd' | 'churn' | 'batch' | 'seed'>
> & { code: number | null };

/** The first sample's trajectory, kept for the filmstrip and the curvature view. */
export interface Trajectory {
  sigmas: number[];
  /** x_t at the start of each step, then the final sample. */
  xt: Float32Array[];
  /** The denoiser's x0 prediction at each step. */
  x0: Float32Array[];
  /** Per-step curvature ||d_i - u||^2 / ||u||^2 and 1 - cos(d_i, u). */
  curvature: number[];
  cosine: number[];
  /** The delta-sigma weighted mean of `curvature`. */
  total: number;
  /** x_T ... x_0 in the plane spanned by x_T and x_0 (core's projectTrajectory). */
  plane: PlanePoint[];
}

/**
 * Where a run's steps were computed: chained on the GPU (one readback at the end), on the GPU with
 * every denoiser output read back for the solver on the CPU, or all on the CPU (wasm).
 */
export type StepPath = 'gpu-chained' | 'gpu-readback' | 'cpu';

export interface ModelRun {
  images: Float32Array;
  nfe: number;
  ms: number;
  path: StepPath;
  trajectory: Trajectory;
}

/** Both models' runs of one plan: what the grids, filmstrip and curvature panels show. */
export interface PairSample {
  /** What was run, echoed so the page can say what it shows. */
  params: SampleParams;
  steps: number;
  /** The code index each QAC sample used. */
  codes: number[];
  qac: ModelRun;
  baseline: ModelRun | null;
}

/** What a run request does after the main sample: the NFE sweep of sample 0 and the code gallery. */
interface RunExtras {
  sweepNfes: number[];
  galleryCodes: number[];
}

export interface SweepRow {
  nfe: number;
  steps: number;
  qac: Float32Array;
  baseline: Float32Array | null;
}

export interface PairEdit {
  /** The reference with the part to be generated blanked: what the model is given. */
  known: Float32Array;
  qac: Float32Array;
  baseline: Float32Array | null;
}

/** The QAC model's sampler overhead: a full run against as many bare denoiser calls. */
export interface Timing {
  nfe: number;
  /** One denoiser call on the batch: the mean over NFE back-to-back calls (median of rounds). */
  callMs: number;
  /** One run of the sampler at that NFE, without recording intermediates (median of rounds). */
  runMs: number;
  /** The part of runMs outside the denoiser calls: the sampler's own work (median of rounds). */
  ownMs: number;
  /** The run a Sample request makes for one model, intermediates and curvature included. */
  appRunMs: number;
}

/** What the solver lab varies nothing of: every cell and the reference share these. */
export type LabParams = Pick<SampleParams, 'afs' | 'gridEnd' | 'churn' | 'seed' | 'code'>;

/** One run of the lab: a solver at an NFE it can spend exactly (core's snapNfe). */
export interface LabRun {
  solver: SolverName;
  nfe: number;
}

/** Sample 0 of one lab run for both models, and its distance to the reference run. */
export interface LabCell extends LabRun {
  steps: number;
  /** The seed it was made with (the request's), so a page can tell whose cell it shows. */
  seed: number;
  qac: Float32Array;
  /** Null when a QAC model was loaded alone. */
  baseline: Float32Array | null;
  /** RMSE to the reference in [-1, 1] pixel units, over every value of the image. */
  errorQac: number;
  errorBaseline: number | null;
}

/** The converged run the lab measures against: same x_T and code, many more steps. */
export interface LabReference extends LabRun {
  seed: number;
  code: number;
  qac: Float32Array;
  baseline: Float32Array | null;
}

export type WorkerRequest =
  /**
   * Opens a QAC model and optionally its baseline from folder URLs (or a baseline alone, in
   * `qacUrl`). `files` serves picked files (a model folder from the file picker): any URL it holds
   * is answered from the File, not fetched. Downloads stream `loadProgress` parts.
   */
  | {
      type: 'load';
      id: number;
      qacUrl: string;
      baselineUrl: string | null;
      backend: BackendChoice;
      files?: Record<string, File>;
    }
  /**
   * One request per settings change: the main sample, then (with extras) the sweep and the gallery,
   * each streamed back as it is done, then 'ran'. A newer run supersedes it (latest wins).
   */
  | { type: 'run'; id: number; params: SampleParams; extras: RunExtras | null }
  /**
   * The solver lab: the reference run, then each of `runs` (batch 1, sample 0) for both models,
   * every cell posted as it is done, then 'labDone'. Superseded like a run (latest wins).
   */
  | { type: 'lab'; id: number; params: LabParams; runs: LabRun[] }
  | { type: 'drawCode'; id: number; seed: number }
  | { type: 'measure'; id: number; params: SampleParams }
  | { type: 'encode'; id: number; image: Float32Array }
  | {
      type: 'edit';
      id: number;
      mode: EditMode;
      steps: number;
      seed: number;
      reference: Float32Array;
      /** inpaint only: 1 where pixels are generated, per pixel (H*W). */
      mask: Uint8Array | null;
    }
  | { type: 'cancel'; id: number };

export type WorkerResponse =
  | { type: 'loaded'; id: number; info: PairInfo }
  /** A load's downloads so far (bytes received of the sizes announced), streamed before 'loaded'. */
  | { type: 'loadProgress'; id: number; received: number; total: number }
  | { type: 'progress'; id: number; model: 'qac' | 'baseline'; step: number; steps: number }
  | { type: 'sampled'; id: number; result: PairSample }
  | { type: 'swept'; id: number; rows: SweepRow[] }
  | { type: 'gallery'; id: number; images: Float32Array }
  | { type: 'ran'; id: number }
  | { type: 'labReference'; id: number; reference: LabReference }
  | { type: 'labCell'; id: number; cell: LabCell }
  | { type: 'labDone'; id: number }
  | { type: 'code'; id: number; index: number }
  | { type: 'measured'; id: number; timing: Timing }
  | { type: 'encoded'; id: number; index: number }
  | { type: 'edited'; id: number; result: PairEdit }
  | { type: 'cancelled'; id: number }
  /** Sent on its own when the backend changes (WebGPU failed or its device was lost, now wasm). */
  | { type: 'backend'; info: BackendInfo }
  | { type: 'error'; id: number; message: string };

/** The reply that ends each request (a run streams its parts before it; see RunPart). */
interface Replies {
  load: 'loaded';
  run: 'ran';
  lab: 'labDone';
  drawCode: 'code';
  measure: 'measured';
  encode: 'encoded';
  edit: 'edited';
}

/** What a request streams before its reply. */
export const RUN_PARTS = [
  'progress',
  'loadProgress',
  'sampled',
  'swept',
  'gallery',
  'labReference',
  'labCell',
] as const;
export type RunPart = Extract<WorkerResponse, { type: (typeof RUN_PARTS)[number] }>;

/** The sampling worker in the shape both workers speak (worker/client.ts). */
export interface SamplerProtocol {
  request: Exclude<WorkerRequest, { type: 'cancel' }>;
  reply: Exclude<WorkerResponse, { type: 'backend' }>;
  event: Extract<WorkerResponse, { type: 'backend' }>;
  ends: Replies;
  parts: RunPart['type'];
}
