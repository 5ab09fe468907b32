import { exportModel, forwardModel, type ModelGraph, type ParamValues } from '../../graph';
import { denoiserGraph, encoderGraph, IO, type ModelConfig, type Mode } from '../model';

/** Batch size the graphs are built at; the exported ones take any batch (dynamic axis 0). */
export const BUILD_BATCH = 2;
const BATCH_DIM = 'batch';

export interface ExportedGraphs {
  denoiser: ModelGraph;
  encoder: ModelGraph | null;
}

/** The inference graphs with `values` baked in as initializers, batch axis symbolic. */
export function exportGraphs(cfg: ModelConfig, mode: Mode, values: ParamValues): ExportedGraphs {
  const d = denoiserGraph(cfg, mode, BUILD_BATCH, values);
  const denoiser = exportModel(d.graph, { [IO.denoised]: d.output }, 'denoiser', {
    dynamicBatch: BATCH_DIM,
  });
  if (mode !== 'qac') return { denoiser, encoder: null };
  const e = encoderGraph(cfg, BUILD_BATCH, values);
  const encoder = exportModel(e.graph, { [IO.code]: e.output }, 'encoder', {
    dynamicBatch: BATCH_DIM,
  });
  return { denoiser, encoder };
}

/**
 * The same functions in training mode (parameters are graph inputs), serialised as they are:
 * what the parity check compares the exported graphs against.
 */
export function trainingForwards(cfg: ModelConfig, mode: Mode): ExportedGraphs {
  const d = denoiserGraph(cfg, mode, BUILD_BATCH);
  const denoiser = forwardModel(d.graph, { [IO.denoised]: d.output }, 'denoiser_forward');
  if (mode !== 'qac') return { denoiser, encoder: null };
  const e = encoderGraph(cfg, BUILD_BATCH);
  return { denoiser, encoder: forwardModel(e.graph, { [IO.code]: e.output }, 'encoder_forward') };
}
