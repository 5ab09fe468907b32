import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { GridEnd, SolverName } from '../../core';
import type { LoadedModel } from '../../runtime';
import { writeFileAtomic } from '../io/atomic';
import { parseJsonFile } from '../io/json';
import type { CodeSource } from './data-codes';

/** One setting's generated images (clamped to [-1, 1]) and what was measured while sampling. */
export interface SampleSet {
  samples: Float32Array;
  curvature: number;
  seconds: number;
}

export interface SampleRun {
  solver: SolverName;
  nfe: number;
  afs: boolean;
  n: number;
  seed: number;
  batch: number;
  end?: GridEnd;
  /** QAC only; absent: 'weights' (see CodeSource). */
  codes?: CodeSource;
}

const sidecarSchema = z.object({
  key: z.string(),
  n: z.number().int().positive(),
  imageSize: z.number().int().positive(),
  curvature: z.number(),
  seconds: z.number(),
});

/**
 * Generated images kept on disk between runs, so sampling (the denoiser calls, most of an
 * evaluation's time) can run before the feature net exists or be reused when it changes. An
 * entry is keyed by the hashes of the files sampling reads (denoiser.onnx, weights.bin), the
 * sampling constants and every setting that changes a sample, so a re-exported model or another
 * setting never reads a stale entry. The solvers' code is not part of the key: clear the cache
 * after changing how a solver steps.
 */
export class SampleCache {
  constructor(readonly dir: string) {}

  key(model: LoadedModel, run: SampleRun): string {
    const m = model.manifest;
    // Only what sampling reads: the report rewrites card.md (and so its hash in the manifest) on
    // every render, and keying on it would throw the whole cache away each time.
    const what = {
      files: [m.files.denoiser.sha256, m.files.weights?.sha256 ?? null],
      sigma: [m.sigmaMin, m.sigmaMax, m.sigmaData],
      code: m.code ?? null,
      // Built field by field: the key must not depend on the order a caller built `run` in.
      run: {
        solver: run.solver,
        nfe: run.nfe,
        afs: run.afs,
        n: run.n,
        seed: run.seed,
        batch: run.batch,
        end: run.end ?? 'zero',
        // Only when set, so the keys of every entry sampled before the option existed still hold.
        ...(run.codes === 'train-images' && { codes: run.codes }),
      },
    };
    return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 24);
  }

  private paths(model: LoadedModel, run: SampleRun) {
    const key = this.key(model, run);
    const stem = join(this.dir, `${model.manifest.name}-${key}`);
    return { key, data: `${stem}.f32`, meta: `${stem}.json` };
  }

  async get(model: LoadedModel, run: SampleRun): Promise<SampleSet | null> {
    const p = this.paths(model, run);
    let meta: z.infer<typeof sidecarSchema>;
    let bytes: Buffer;
    try {
      meta = parseJsonFile(
        await readFile(p.meta, 'utf8'),
        p.meta,
        sidecarSchema,
        'a cached sample set',
      );
      bytes = await readFile(p.data);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`sample cache: ${(e as Error).message}`, { cause: e });
    }
    const expected = meta.n * meta.imageSize * 4;
    if (meta.key !== p.key || meta.n !== run.n || bytes.length !== expected)
      throw new Error(
        `sample cache ${p.data}: ${bytes.length} bytes, expected ${expected}; delete it`,
      );
    const samples = new Float32Array(meta.n * meta.imageSize);
    new Uint8Array(samples.buffer).set(bytes);
    return { samples, curvature: meta.curvature, seconds: meta.seconds };
  }

  async put(model: LoadedModel, run: SampleRun, set: SampleSet): Promise<void> {
    const p = this.paths(model, run);
    await mkdir(this.dir, { recursive: true });
    // Data first: a sidecar only ever points at a complete file.
    await writeFileAtomic(
      p.data,
      new Uint8Array(set.samples.buffer, set.samples.byteOffset, set.samples.byteLength),
    );
    const meta = {
      key: p.key,
      n: run.n,
      imageSize: model.imageSize,
      curvature: set.curvature,
      seconds: set.seconds,
    };
    await writeFileAtomic(p.meta, Buffer.from(JSON.stringify(meta) + '\n'));
  }
}
