import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { serializeWeights, sparseWeights } from '../../core';
import { CODE_BIT_ORDER, MODEL_FORMAT, MODEL_FORMAT_VERSION, type Manifest } from '../manifest';
import { fileEntry } from '../shared/file-entry';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/**
 * Tiny but real ONNX models that obey the runtime's contract, for tests of the runtime and the
 * CLIs before trained models exist. The denoiser is the exact EDM-optimal denoiser for data sitting
 * on one "prototype" image per code:
 *   D(x; sigma, code) = c_skip(sigma) * x + (1 - c_skip(sigma)) * tanh(code @ P)
 * (a baseline uses one fixed prototype `tanh(mean row of P)`), so ODE sampling with a code must end
 * near that code's prototype. The encoder is `sign(flatten(x) @ E)` with ties mapped to -1.
 */
export interface FixtureSpec {
  kind: 'qac' | 'baseline';
  channels: number;
  height: number;
  width: number;
  bits: number;
  seed: number;
  sigmaData: number;
}

export const DEFAULT_FIXTURE: FixtureSpec = {
  kind: 'qac',
  channels: 1,
  height: 4,
  width: 4,
  bits: 3,
  seed: 1,
  sigmaData: 0.5,
};

/** Deterministic uniform(-1, 1) values from a small LCG, enough for fixture weights. */
function fixtureValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** The prototype matrix P [d, C*H*W] and encoder matrix E [C*H*W, d] of a fixture. */
export function fixtureMatrices(spec: FixtureSpec): { P: Float32Array; E: Float32Array } {
  const n = spec.channels * spec.height * spec.width;
  return {
    P: fixtureValues(spec.bits * n, spec.seed),
    E: fixtureValues(n * spec.bits, spec.seed + 1000),
  };
}

const floatTensor = (name: string, dims: number[], data: Float32Array) =>
  onnx.TensorProto.create({ name, dims, dataType: FLOAT, floatData: Array.from(data) });
const int64Tensor = (name: string, data: number[]) =>
  onnx.TensorProto.create({ name, dims: [data.length], dataType: INT64, int64Data: data });
const valueInfo = (name: string, dims: Array<number | string>) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
const node = (op: string, inputs: string[], outputs: string[]) =>
  onnx.NodeProto.create({ opType: op, input: inputs, output: outputs, name: outputs[0] });

function modelBytes(graph: NonNullable<Parameters<typeof onnx.GraphProto.create>[0]>): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'qac-playground-fixture',
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** `dims` lets a test build a graph whose input shapes disagree with its manifest. */
export function fixtureDenoiser(spec: FixtureSpec, dims?: number[]): Uint8Array {
  const { channels: c, height: h, width: w, bits: d } = spec;
  const n = c * h * w;
  const { P } = fixtureMatrices(spec);
  const qac = spec.kind === 'qac';
  const initializer = [
    floatTensor('sd2', [], new Float32Array([spec.sigmaData ** 2])),
    floatTensor('one', [], new Float32Array([1])),
    int64Tensor('shape_b111', [-1, 1, 1, 1]),
  ];
  const nodes = [
    node('Mul', ['sigma', 'sigma'], ['s2']),
    node('Add', ['s2', 'sd2'], ['s2_sd2']),
    node('Div', ['sd2', 's2_sd2'], ['cskip']),
    node('Reshape', ['cskip', 'shape_b111'], ['cskip_b']),
    node('Sub', ['one', 'cskip_b'], ['cmix_b']),
    node('Mul', ['x', 'cskip_b'], ['skip']),
  ];
  if (qac) {
    initializer.push(floatTensor('P', [d, n], P), int64Tensor('shape_bchw', [-1, c, h, w]));
    nodes.push(
      node('MatMul', ['code', 'P'], ['proto_flat']),
      node('Tanh', ['proto_flat'], ['proto_t']),
    );
    nodes.push(node('Reshape', ['proto_t', 'shape_bchw'], ['proto']));
  } else {
    const mean = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < d; i++) mean[j]! += P[i * n + j]! / d;
      mean[j] = Math.tanh(mean[j]!);
    }
    initializer.push(floatTensor('proto', [1, c, h, w], mean));
  }
  nodes.push(node('Mul', ['proto', 'cmix_b'], ['mix']), node('Add', ['skip', 'mix'], ['denoised']));
  const xDims = dims ?? [c, h, w];
  const inputs = [valueInfo('x', ['B', ...xDims]), valueInfo('sigma', ['B'])];
  if (qac) inputs.push(valueInfo('code', ['B', d]));
  return modelBytes({
    name: 'fixture_denoiser',
    node: nodes,
    initializer,
    input: inputs,
    output: [valueInfo('denoised', ['B', ...xDims])],
  });
}

function fixtureEncoder(spec: FixtureSpec): Uint8Array {
  const { channels: c, height: h, width: w, bits: d } = spec;
  const { E } = fixtureMatrices(spec);
  return modelBytes({
    name: 'fixture_encoder',
    node: [
      node('Flatten', ['x'], ['flat']),
      node('MatMul', ['flat', 'E'], ['y']),
      node('Greater', ['y', 'zero'], ['positive']),
      node('Where', ['positive', 'one', 'minus_one'], ['code']),
    ],
    initializer: [
      floatTensor('E', [c * h * w, d], E),
      floatTensor('zero', [], new Float32Array([0])),
      floatTensor('one', [], new Float32Array([1])),
      floatTensor('minus_one', [], new Float32Array([-1])),
    ],
    input: [valueInfo('x', ['B', c, h, w])],
    output: [valueInfo('code', ['B', d])],
  });
}

/** Writes a complete, valid model folder and returns its manifest. */
export async function writeFixtureModel(
  dir: string,
  overrides: Partial<FixtureSpec> = {},
  weights: Array<[number, number]> = [
    [5, 0.5],
    [2, 0.3],
    [0, 0.2],
  ],
): Promise<Manifest> {
  const spec = { ...DEFAULT_FIXTURE, ...overrides };
  await mkdir(dir, { recursive: true });
  const qac = spec.kind === 'qac';
  const contents: Record<string, Uint8Array> = {
    'denoiser.onnx': fixtureDenoiser(spec),
    'card.md': new TextEncoder().encode(`# fixture ${spec.kind}\n\nA hand-built test model.\n`),
  };
  if (qac) {
    contents['encoder.onnx'] = fixtureEncoder(spec);
    contents['weights.bin'] = new Uint8Array(serializeWeights(sparseWeights(weights)));
  }
  for (const [name, bytes] of Object.entries(contents)) await writeFile(join(dir, name), bytes);
  const entry = (name: string) => fileEntry(name, contents[name]!);
  const manifest: Manifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name: `fixture-${spec.kind}`,
    dataset: 'fixture',
    kind: spec.kind,
    image: { channels: spec.channels, height: spec.height, width: spec.width, valueRange: [-1, 1] },
    sigmaData: spec.sigmaData,
    sigmaMin: 0.002,
    sigmaMax: 80,
    code: qac ? { bits: spec.bits, levels: 2, bitOrder: CODE_BIT_ORDER } : null,
    files: {
      denoiser: await entry('denoiser.onnx'),
      card: await entry('card.md'),
      ...(qac ? { encoder: await entry('encoder.onnx'), weights: await entry('weights.bin') } : {}),
    },
    parameters: {
      denoiser: qac ? spec.bits * spec.channels * spec.height * spec.width : 0,
      encoder: 0,
    },
    training: { config: { fixture: true }, steps: 0, wallTimeSeconds: 0 },
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}
