import { serializeWeights, sparseFromDense } from '../../core';
import {
  CODE_BIT_ORDER,
  fileEntry,
  manifestSchema,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type Manifest,
} from '../../runtime';
import type { ImageDataset } from '../data/types';
import { ENCODER_SCOPE, SIGMA_DATA } from '../model';
import type { RunState } from '../trainer/checkpoint-state';
import type { TrainConfig } from '../trainer/config';
import { modelCard } from './card';
import type { ExportedGraphs } from './graphs';

const SIGMA_MIN = 0.002;
const SIGMA_MAX = 80;

/** Normalised sparse weights: the EMA sums to 1 - prod(mu), the file holds probabilities. */
function weightsFile(dense: Float32Array): Uint8Array {
  let total = 0;
  for (const v of dense) total += v;
  if (!(total > 0))
    throw new Error('export: the run has no code-usage weights yet (train at least one step)');
  return new Uint8Array(serializeWeights(sparseFromDense(dense.map((v) => v / total))));
}

/**
 * A model folder's files (denoiser.onnx, encoder.onnx, weights.bin, card.md, manifest.json) from a
 * run's state and its exported graphs, in memory: `npm run export` writes them to disk, the
 * browser trainer zips them. Nothing here touches a file system.
 */
export async function modelFolderFiles(
  config: TrainConfig,
  state: Pick<RunState, 'ema' | 'codeWeights' | 'step' | 'wallTimeSeconds'>,
  graphs: ExportedGraphs,
  name: string,
  dataset: Pick<ImageDataset, 'credits' | 'source'>,
): Promise<{ manifest: Manifest; files: [string, Uint8Array][] }> {
  const files: [string, Uint8Array][] = [['denoiser.onnx', graphs.denoiser.model]];
  if (graphs.encoder) files.push(['encoder.onnx', graphs.encoder.model]);
  if (config.mode === 'qac') {
    if (!state.codeWeights) throw new Error(`export: ${name} is a QAC run without code weights`);
    files.push(['weights.bin', weightsFile(state.codeWeights)]);
  }
  const entries = Object.fromEntries(
    await Promise.all(
      files.map(async ([path, bytes]) => [path, await fileEntry(path, bytes)] as const),
    ),
  );
  const counts = { denoiser: 0, encoder: 0 };
  for (const [name, v] of state.ema)
    counts[name.startsWith(`${ENCODER_SCOPE}.`) ? 'encoder' : 'denoiser'] += v.length;
  const body: Omit<Manifest, 'files'> = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name,
    dataset: config.dataset,
    kind: config.mode,
    image: {
      channels: config.model.channels,
      height: config.model.height,
      width: config.model.width,
      valueRange: [-1, 1],
    },
    sigmaData: SIGMA_DATA,
    sigmaMin: SIGMA_MIN,
    sigmaMax: SIGMA_MAX,
    code:
      config.mode === 'qac'
        ? { bits: config.model.bits, levels: config.model.levels, bitOrder: CODE_BIT_ORDER }
        : null,
    parameters: config.mode === 'qac' ? counts : { denoiser: counts.denoiser },
    training: {
      config: config as unknown as Record<string, unknown>,
      // A run that continued a model (initFrom) reports the model's whole training.
      steps: state.step + (config.initFrom?.steps ?? 0),
      wallTimeSeconds: Math.round(state.wallTimeSeconds + (config.initFrom?.wallTimeSeconds ?? 0)),
    },
    evaluation: null,
    ...(dataset.credits !== undefined && { credits: dataset.credits }),
  };
  const card = new TextEncoder().encode(modelCard(body, dataset.source));
  files.push(['card.md', card]);
  const manifest = manifestSchema.parse({
    ...body,
    files: {
      denoiser: entries['denoiser.onnx'],
      ...(entries['encoder.onnx'] && { encoder: entries['encoder.onnx'] }),
      ...(entries['weights.bin'] && { weights: entries['weights.bin'] }),
      card: await fileEntry('card.md', card),
    },
  });
  files.push(['manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n')]);
  return { manifest, files };
}
