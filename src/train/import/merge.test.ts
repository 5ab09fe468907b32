import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOnnx, onnxCheckerMissing } from '../../graph/onnx-checker.testkit';
import { loadModelNode } from '../../runtime/node';
import { importModel } from './import';

const pb = onnxProto.onnx;
const FLOAT = pb.TensorProto.DataType.FLOAT;

const value = (name: string, dims: (number | string)[], elemType = FLOAT) => ({
  name,
  type: {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  },
});
const scalar = (name: string, v: number) => ({ name, dims: [], dataType: FLOAT, floatData: [v] });

/**
 * A network written the way exporters write them, not the way src/graph does: opset 13, an If
 * whose branch reads `sample` and an initializer from the outer scope, and node and tensor names
 * that the wrapper also uses ("x", "sigma", "denoised"). out_sample = (sample * 0.5) + 0 * t.
 */
function exporterStyleNetwork(): Uint8Array {
  const branch = (factor: string, out: string) => ({
    name: out,
    node: [{ opType: 'Mul', input: ['sample', factor], output: [out], name: 'x' }],
    output: [value(out, ['batch', 1, 2, 2])],
  });
  const graph = {
    name: 'exporter_style',
    node: [
      {
        opType: 'Cast',
        input: ['timestep'],
        output: ['x'],
        name: 'sigma',
        attribute: [{ name: 'to', type: 2, i: FLOAT }],
      },
      { opType: 'Mul', input: ['x', 'zero'], output: ['denoised'], name: 'denoised' },
      { opType: 'Unsqueeze', input: ['denoised', 'axes'], output: ['t4'], name: 'unsq' },
      {
        opType: 'If',
        input: ['yes'],
        output: ['scaled'],
        name: 'if',
        attribute: [
          {
            name: 'then_branch',
            type: pb.AttributeProto.AttributeType.GRAPH,
            g: branch('half', 'a'),
          },
          {
            name: 'else_branch',
            type: pb.AttributeProto.AttributeType.GRAPH,
            g: branch('one', 'b'),
          },
        ],
      },
      { opType: 'Add', input: ['scaled', 't4'], output: ['out_sample'], name: 'add' },
    ],
    initializer: [
      scalar('half', 0.5),
      scalar('one', 1),
      scalar('zero', 0),
      { name: 'yes', dims: [], dataType: pb.TensorProto.DataType.BOOL, int32Data: [1] },
      { name: 'axes', dims: [3], dataType: pb.TensorProto.DataType.INT64, int64Data: [1, 2, 3] },
    ],
    input: [
      value('sample', ['batch', 1, 2, 2]),
      value('timestep', ['batch'], pb.TensorProto.DataType.INT64),
    ],
    output: [value('out_sample', ['batch', 1, 2, 2])],
  };
  const model = pb.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'pytorch-like',
    graph,
  });
  return pb.ModelProto.encode(model).finish();
}

describe('the composed graph keeps an exporter-style network intact', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'qac-import-merge-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('renames clashing names, keeps subgraphs and outer-scope reads, and keeps opset 13', async (ctx) => {
    const onnx = join(root, 'net.onnx');
    await writeFile(onnx, exporterStyleNetwork());
    const out = join(root, 'net');
    await importModel({ onnx, out, betaSchedule: 'linear', prediction: 'sample' });
    const bytes = await readFile(join(out, 'denoiser.onnx'));
    const merged = pb.ModelProto.decode(bytes);
    expect(merged.opsetImport.map((o) => Number(o.version))).toEqual([13]);
    expect(merged.graph?.input?.map((i) => i.name)).toEqual(['x', 'sigma']);
    expect(merged.graph?.output?.map((o) => o.name)).toEqual(['denoised']);

    // "sample" prediction: D = the network's output = 0.5 * c_in * x, c_in = 1/sqrt(1 + sigma^2).
    const model = await loadModelNode(out);
    try {
      const x = Float32Array.from([1, -2, 3, 0.5, 4, 0, -1, 2]);
      const sigma = Float32Array.of(0.5, 20);
      const d = await model.denoise(x, sigma, 2);
      d.forEach((v, i) => {
        const s = sigma[Math.floor(i / 4)]!;
        expect(v).toBeCloseTo((0.5 * x[i]!) / Math.sqrt(1 + s * s), 6);
      });
    } finally {
      await model.dispose();
    }
    const missing = onnxCheckerMissing();
    if (missing) {
      console.warn(`checker skipped: ${missing}`);
      ctx.skip();
    }
    expect(checkOnnx({ denoiser: bytes })).toBe('ok');
  });
});
