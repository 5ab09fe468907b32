import {
  initialNoise,
  makeSigmas,
  sample,
  sampleSeeds,
  stepsForNfe,
  type StepInfo,
} from '../../core';
import type { LoadedModel } from '../../runtime';
import type { ModelRun, SampleParams, Timing } from './protocol';
import { codeSigns } from './codes';
import { trajectoryOf } from './trajectory';

/** Thrown from a step callback when the request was cancelled; the solver stops there. */
export class Cancelled extends Error {}

export interface RunHooks {
  /** Throws Cancelled when the request is gone. */
  check: () => void;
  progress?: (step: number, steps: number) => void;
}

export function sigmasFor(
  model: LoadedModel,
  p: Pick<SampleParams, 'solver' | 'nfe' | 'afs' | 'gridEnd'>,
) {
  const steps = stepsForNfe(p.solver, p.nfe, p.afs);
  const m = model.manifest;
  return makeSigmas('karras', steps, {
    sigmaMin: m.sigmaMin,
    sigmaMax: m.sigmaMax,
    end: p.gridEnd,
  });
}

/** x_T for a batch: sample k from seed k (or the given per-sample seeds), shared by both models. */
export function noiseFor(model: LoadedModel, batch: number, seed: number, seeds?: number[]) {
  return initialNoise(sampleSeeds(batch, seed, seeds), model.imageSize, model.manifest.sigmaMax);
}

/**
 * One model's run over a batch from x_T, recording sample 0's trajectory. `codes` holds one code
 * index per sample (ignored by a baseline).
 */
export async function runModel(
  model: LoadedModel,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
  hooks: RunHooks,
  seeds?: number[],
): Promise<ModelRun> {
  const sigmas = sigmasFor(model, p);
  const batch = codes.length;
  const bits = model.codeBits;
  const code = bits > 0 ? codeSigns(codes, bits) : undefined;
  const denoise = model.bind(batch, code);
  const size = model.imageSize;
  const steps: StepInfo[] = [];
  const t0 = performance.now();
  const { x, nfe } = await sample({
    solver: p.solver,
    denoise,
    sigmas,
    x: xT,
    batch,
    afs: p.afs,
    sigmaData: model.manifest.sigmaData,
    seed: p.seed,
    seeds,
    ...(p.solver === 'edm-sde' ? { churn: p.churn } : {}),
    onStep: (s) => {
      hooks.check();
      steps.push({
        ...s,
        x: s.x.slice(0, size),
        denoised: s.denoised.slice(0, size),
        d: s.d.slice(0, size),
      });
      hooks.progress?.(s.i + 1, sigmas.length - 1);
    },
  });
  const ms = performance.now() - t0;
  hooks.check();
  return { images: x, nfe, ms, trajectory: trajectoryOf(steps, sigmas, x.slice(0, size)) };
}

const TIMING_ROUNDS = 5;

/**
 * The sampler's overhead on this backend: one run at the requested NFE without recording
 * intermediates, against the same number of bare denoiser calls on the same batch. Each is timed
 * over several interleaved rounds and the fastest round kept, so other load on the machine does
 * not land on one side only.
 */
export async function measureOverhead(
  model: LoadedModel,
  p: SampleParams,
  xT: Float32Array,
  codes: number[],
): Promise<Timing> {
  const sigmas = sigmasFor(model, p);
  const batch = codes.length;
  const code = model.codeBits > 0 ? codeSigns(codes, model.codeBits) : undefined;
  const denoise = model.bind(batch, code);
  await denoise(xT, sigmas[0]);
  let callMs = Infinity;
  let runMs = Infinity;
  let nfe = 0;
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    const t0 = performance.now();
    for (let i = 0; i < p.nfe; i++) await denoise(xT, sigmas[Math.min(i, sigmas.length - 2)]);
    callMs = Math.min(callMs, (performance.now() - t0) / p.nfe);
    const t1 = performance.now();
    ({ nfe } = await sample({
      solver: p.solver,
      denoise,
      sigmas,
      x: xT,
      batch,
      afs: p.afs,
      sigmaData: model.manifest.sigmaData,
      seed: p.seed,
      ...(p.solver === 'edm-sde' ? { churn: p.churn } : {}),
    }));
    runMs = Math.min(runMs, performance.now() - t1);
  }
  return { nfe, callMs, runMs };
}
