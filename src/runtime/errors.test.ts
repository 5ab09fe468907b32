import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelNode } from './node';
import { fileEntry } from './shared/file-entry';
import { DEFAULT_FIXTURE, fixtureDenoiser, writeFixtureModel } from './testing/fixture-model';

let root: string;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-runtime-errors-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A fresh valid QAC fixture folder plus a way to rewrite its manifest. */
async function fixture() {
  const dir = join(root, `m${count++}`);
  const manifest = await writeFixtureModel(dir);
  const editManifest = (edit: (m: Record<string, unknown>) => void) => {
    const copy = structuredClone(manifest) as unknown as Record<string, unknown>;
    edit(copy);
    return writeFile(join(dir, 'manifest.json'), JSON.stringify(copy));
  };
  return { dir, manifest, editManifest };
}

describe('model loading errors', () => {
  it('accepts a path to manifest.json as well as the folder', async () => {
    const { dir } = await fixture();
    const model = await loadModelNode(join(dir, 'manifest.json'));
    expect(model.manifest.kind).toBe('qac');
    await model.dispose();
  });

  it('reports manifest.json that is not JSON', async () => {
    const { dir } = await fixture();
    await writeFile(join(dir, 'manifest.json'), '{"format": "qac-playground-model", ');
    await expect(loadModelNode(dir)).rejects.toThrow(/manifest\.json: not valid JSON/);
  });

  it('refuses a manifest from a newer format version, naming it', async () => {
    const { dir, editManifest } = await fixture();
    await editManifest((m) => (m.version = 7));
    await expect(loadModelNode(dir)).rejects.toThrow(
      /manifest\.json \(version\): format version 7 is newer/,
    );
  });

  it('names the manifest field that is wrong', async () => {
    const { dir, editManifest } = await fixture();
    await editManifest((m) => delete m.code);
    await expect(loadModelNode(dir)).rejects.toThrow(
      /manifest\.json \(code\): required for kind "qac"/,
    );
    await editManifest((m) => ((m.image as Record<string, unknown>).height = 'tall'));
    await expect(loadModelNode(dir)).rejects.toThrow(/manifest\.json \(image\.height\)/);
    await editManifest(
      (m) => ((m.files as Record<string, { path: string }>).card!.path = '../../etc/passwd'),
    );
    await expect(loadModelNode(dir)).rejects.toThrow(
      /manifest\.json \(files\.card\.path\): a plain file name/,
    );
    await editManifest((m) => (m.format = 'something-else'));
    await expect(loadModelNode(dir)).rejects.toThrow(/manifest\.json \(format\)/);
  });

  it('reports a truncated file by its size', async () => {
    const { dir } = await fixture();
    const bytes = await readFile(join(dir, 'denoiser.onnx'));
    await writeFile(join(dir, 'denoiser.onnx'), bytes.subarray(0, bytes.length - 10));
    await expect(loadModelNode(dir)).rejects.toThrow(
      /denoiser\.onnx \(files\.denoiser\.bytes\): size \d+ differs/,
    );
  });

  it('reports graph input shapes that disagree with the manifest', async () => {
    const { dir, editManifest } = await fixture();
    await editManifest((m) => ((m.image as Record<string, number>).height = 5));
    await expect(loadModelNode(dir)).rejects.toThrow(
      /denoiser\.onnx \(x\): input shape \[B,1,4,4\] disagrees/,
    );
    // A graph built for 5 code bits behind a manifest that says 3.
    const wrong = fixtureDenoiser({ ...DEFAULT_FIXTURE, bits: 5 });
    await writeFile(join(dir, 'denoiser.onnx'), wrong);
    const entry = await fileEntry('denoiser.onnx', wrong);
    await editManifest((m) => ((m.files as Record<string, unknown>).denoiser = entry));
    await expect(loadModelNode(dir)).rejects.toThrow(
      /denoiser\.onnx \(code\): input shape \[B,5\] disagrees/,
    );
  });

  it('reports a file ORT cannot parse under its name', async () => {
    const { dir, editManifest } = await fixture();
    const junk = new TextEncoder().encode('not a protobuf at all');
    await writeFile(join(dir, 'encoder.onnx'), junk);
    const entry = await fileEntry('encoder.onnx', junk);
    await editManifest((m) => ((m.files as Record<string, unknown>).encoder = entry));
    await expect(loadModelNode(dir)).rejects.toThrow(
      /encoder\.onnx: onnxruntime could not load the graph/,
    );
  });

  it('rejects weights.bin entries outside the codebook', async () => {
    const dir = join(root, 'bad-weights');
    await writeFixtureModel(dir, {}, [[8, 1]]);
    await expect(loadModelNode(dir)).rejects.toThrow(
      /weights\.bin: sampling weights: code index 8 exceeds the codebook \(max 7\)/,
    );
  });

  it('checks buffer sizes and the code on every call', async () => {
    const { dir } = await fixture();
    const model = await loadModelNode(dir);
    const x = new Float32Array(2 * model.imageSize);
    await expect(model.denoise(x, 1, 2)).rejects.toThrow(
      /denoiser\.onnx \(code\): a QAC denoiser needs a code/,
    );
    await expect(model.denoise(x, 1, 3, new Float32Array(9))).rejects.toThrow(
      /\(x\): expected 3x16 = 48 values, got 32/,
    );
    await expect(model.denoise(x, 1, 2, new Float32Array(5))).rejects.toThrow(
      /\(code\): expected 2x3 = 6 values/,
    );
    await model.dispose();
    await expect(model.encode(x, 2)).rejects.toThrow(/model was disposed/);
  });
});
