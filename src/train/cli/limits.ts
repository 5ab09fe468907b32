/**
 * The largest values the CLIs accept. Memory grows with each of them (a batch of 1e9 images asks
 * V8 for terabytes and aborts the process), so beyond these the commands refuse with a message
 * naming the flag rather than crash. They sit far above anything the shipped models need.
 */
export const LIMITS = {
  /** Samples per denoiser call (sample --batch, eval --batch): ~50 MB per buffer at 3x32x32. */
  batch: 1024,
  /** Denoiser calls per sample; the solvers' history is small, but runs grow linearly. */
  nfe: 1000,
  /** Generated images per eval setting: all of them are held in memory for the features. */
  evalSamples: 50_000,
  /** Training batch: the step graph keeps every activation for the backward pass. */
  trainBatch: 1024,
  /** onnxruntime threads. */
  threads: 256,
} as const;
