import {
  colorization,
  edit,
  inpainting,
  knownPart,
  karrasSigmas,
  superResolution,
  type EditOperator,
} from '../../core';
import type { LoadedModel } from '../../runtime';
import type { PairEdit, WorkerRequest } from './protocol';

type EditRequest = Extract<WorkerRequest, { type: 'edit' }>;

function operatorFor(msg: EditRequest, model: LoadedModel): EditOperator {
  const { channels, height, width } = model.manifest.image;
  const shape = { channels, height, width };
  switch (msg.mode) {
    case 'inpaint':
      if (!msg.mask) throw new Error('inpainting needs a mask: paint the pixels to regenerate');
      return inpainting(shape, msg.mask);
    case 'colorize':
      if (channels !== 3) {
        throw new Error(
          `colorization needs an RGB model; ${model.manifest.name} has ${channels} channel(s)`,
        );
      }
      return colorization(shape);
    case 'sr2':
      return superResolution(shape, 2);
    case 'sr4':
      return superResolution(shape, 4);
  }
}

/** Zero-shot editing (docs/math.md §6) of one image with both models, through core's Algorithm 2. */
export async function runEdit(
  qac: LoadedModel,
  baseline: LoadedModel | null,
  msg: EditRequest,
  hooks: {
    /** Awaited before every denoiser call; a throw stops the edit. */
    interrupt: () => Promise<void>;
    progress?: (step: number, steps: number) => void;
  },
): Promise<PairEdit> {
  const op = operatorFor(msg, qac);
  const m = qac.manifest;
  const sigmas = karrasSigmas(msg.steps, { sigmaMin: m.sigmaMin, sigmaMax: m.sigmaMax });
  const total = msg.steps * (baseline ? 2 : 1);
  const run = async (model: LoadedModel, offset: number) => {
    const { x } = await edit({
      operator: op,
      reference: msg.reference,
      sigmas,
      seed: msg.seed,
      denoise: (x, sigma, code) =>
        model.denoise(x, sigma, 1, model.codeBits > 0 ? code : undefined),
      // The baseline has no condition: it gets a placeholder code that its denoiser ignores.
      encode: model.codeBits > 0 ? (x) => model.encode(x, 1) : () => new Float32Array(1),
      interrupt: hooks.interrupt,
      onStep: (i) => hooks.progress?.(offset + i + 1, total),
    });
    return x;
  };
  const q = await run(qac, 0);
  const b = baseline && (await run(baseline, msg.steps));
  return { known: knownPart(op, msg.reference), qac: q, baseline: b };
}
