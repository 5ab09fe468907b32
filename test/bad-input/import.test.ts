// import: every flag and every problem of the external network is refused by name, before
// anything is written (--out stays missing, or as it was).
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, op } from '../../src/graph';
import { serialize } from '../../src/graph/serialize';
import { oracleModel } from '../../src/train/import/oracle.testkit';
import { readOnlyDir, refused, removeTree, runCli, tempDir, treeHashes } from './helpers';

const pb = onnxProto.onnx;

let scratch: string;
/** A valid int64-timestep epsilon network (1x4x4) and the flags that import it. */
let good: string;
const SCHEDULE = ['--beta-schedule', 'linear'];

const oracle = (timestep: 'int64' | 'float32' = 'int64') =>
  oracleModel({
    prediction: 'epsilon',
    channels: 1,
    height: 4,
    width: 4,
    mu: 0,
    s: 0.5,
    sigmas: [0.01, 0.1, 1, 10],
    timestep,
    sigmaData: 0.5,
  });

/** The oracle with its graph edited: an input's type or dims, for interface refusals. */
function edited(edit: (g: InstanceType<typeof pb.GraphProto>) => void): Uint8Array {
  const m = pb.ModelProto.decode(oracle());
  edit(m.graph as InstanceType<typeof pb.GraphProto>);
  return pb.ModelProto.encode(m).finish();
}

/** A diffusers-style network built by `body` from sample [1,1,4,4] and an int64 timestep. */
function network(
  body: (g: Graph, x: ReturnType<Graph['input']>) => Record<string, ReturnType<Graph['input']>>,
): Uint8Array {
  const g = new Graph();
  const x = g.input('sample', [1, 1, 4, 4]);
  const t = op.cast(g.input('timestep', [1], 'int64'), 'float32');
  const outputs = body(g, op.add(x, op.reshape(op.mul(t, 0), [1, 1, 1, 1])));
  return serialize(g, { outputs, dynamicBatch: 'batch' }).model;
}

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, bytes);
  return path;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Runs the import into a fresh --out and checks the refusal wrote nothing. */
async function refusedImport(args: string[]): Promise<string> {
  const out = join(scratch, `out-${Math.random().toString(36).slice(2)}`);
  const stderr = refused(await runCli('import', [...args, '--out', out]));
  expect(await exists(out)).toBe(false);
  return stderr;
}

beforeAll(async () => {
  scratch = await tempDir('import');
  good = await file('good.onnx', oracle());
});
afterAll(() => removeTree(scratch));

describe('import: flags', () => {
  it('imports the good network (the baseline every refusal below differs from)', async () => {
    const out = join(scratch, 'good-model');
    const res = await runCli('import', ['--onnx', good, ...SCHEDULE, '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/epsilon, linear x 1000, timestep nearest/);
    expect(await exists(join(out, 'manifest.json'))).toBe(true);
  });

  it('--onnx: a missing file, and a file that is not ONNX', async () => {
    expect(await refusedImport(['--onnx', join(scratch, 'nope.onnx'), ...SCHEDULE])).toMatch(
      /--onnx .*nope\.onnx: no such file/,
    );
    const text = await file('notes.onnx', 'these are my notes, not a network');
    expect(await refusedImport(['--onnx', text, ...SCHEDULE])).toMatch(
      /--onnx .*notes\.onnx: is not an ONNX model/,
    );
  });

  it('--scheduler-config: not JSON, an unknown schedule, and a schedule given twice', async () => {
    const bad = await file('bad-config.json', '{"beta_schedule": ');
    expect(await refusedImport(['--onnx', good, '--scheduler-config', bad])).toMatch(
      /--scheduler-config .*bad-config\.json: not valid JSON/,
    );
    const sigmoid = await file('sigmoid.json', '{"beta_schedule": "sigmoid"}');
    expect(await refusedImport(['--onnx', good, '--scheduler-config', sigmoid])).toMatch(
      /--scheduler-config .*sigmoid\.json: beta_schedule: "sigmoid" is not one of linear, scaled_linear, squaredcos_cap_v2/,
    );
    const ok = await file('ok.json', '{"beta_schedule": "linear"}');
    expect(
      await refusedImport(['--onnx', good, '--scheduler-config', ok, '--beta-end', '0.02']),
    ).toMatch(/--beta-end: give either --scheduler-config or the schedule flags, not both/);
  });

  it('--beta-schedule: missing, or not a known one', async () => {
    expect(await refusedImport(['--onnx', good])).toMatch(
      /--scheduler-config or --beta-schedule: a epsilon model needs its training schedule/,
    );
    expect(await refusedImport(['--onnx', good, '--beta-schedule', 'cosine'])).toMatch(
      /--beta-schedule <name>' argument 'cosine' is invalid\. Allowed choices are linear, scaled_linear, squaredcos_cap_v2/,
    );
  });

  it('--beta-start and --beta-end: not a number, not in (0, 1)', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--beta-start', 'tiny'])).toMatch(
      /--beta-start must be a positive number/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--beta-end', '1.5'])).toMatch(
      /--beta-end 1\.5: a beta must be in \(0, 1\)/,
    );
  });

  it('--num-train-timesteps: fewer than 2', async () => {
    expect(
      await refusedImport(['--onnx', good, ...SCHEDULE, '--num-train-timesteps', '1']),
    ).toMatch(/--num-train-timesteps must be an integer from 2 to 100,000/);
  });

  it('--prediction: unknown, or against the config', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--prediction', 'flow'])).toMatch(
      /--prediction <type>' argument 'flow' is invalid/,
    );
    const v = await file(
      'v.json',
      '{"beta_schedule": "linear", "prediction_type": "v_prediction"}',
    );
    expect(
      await refusedImport(['--onnx', good, '--scheduler-config', v, '--prediction', 'epsilon']),
    ).toMatch(/--prediction epsilon: the scheduler config says prediction_type "v_prediction"/);
  });

  it('--sigma-data: not positive, or beyond the manifest limit', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--sigma-data', '-1'])).toMatch(
      /--sigma-data must be a positive number/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--sigma-data', '1e9'])).toMatch(
      /--sigma-data 1000000000: is 1000000000 in \[-1, 1\] units, above the manifest's limit of 1000/,
    );
  });

  it('--sigma-min / --sigma-max: only for edm, and in order', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--sigma-max', '80'])).toMatch(
      /--sigma-max: only for --prediction edm/,
    );
    const edm = await file('edm.onnx', oracle('float32'));
    expect(
      await refusedImport([
        ...['--onnx', edm, '--prediction', 'edm', '--sigma-min', '5', '--sigma-max', '1'],
      ]),
    ).toMatch(/--sigma-min 5: must be below --sigma-max 1/);
    expect(await refusedImport(['--onnx', edm, '--prediction', 'edm', ...SCHEDULE])).toMatch(
      /--beta-schedule: an edm model has no discrete schedule/,
    );
  });

  it('--input-names and --output-name: names the graph does not have, listing what it has', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--input-names', 'x,t'])).toMatch(
      /--input-names: the graph has no sample input "x" \(its inputs: sample FLOAT \[batch,1,4,4\]; timestep INT64 \[batch\]\)/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--input-names', 'sample'])).toMatch(
      /--input-names takes two names, SAMPLE,TIMESTEP, got "sample"/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--output-name', 'eps'])).toMatch(
      /--output-name: the graph has no output "eps" \(its outputs: out_sample FLOAT \[batch,1,4,4\]\)/,
    );
  });

  it('--image: malformed, or against the graph', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--image', '1,4'])).toMatch(
      /--image takes three positive integers, C,H,W, got "1,4"/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--image', '3,4,4'])).toMatch(
      /--image 3,4,4: the graph fixes axis 1 of "sample" to 1/,
    );
    const open = await file(
      'open.onnx',
      edited((g) => {
        for (const v of [...g.input, ...g.output])
          v.type!.tensorType!.shape!.dim = [
            { dimParam: 'batch' },
            { dimParam: 'c' },
            { dimParam: 'h' },
            { dimParam: 'w' },
          ].slice(0, v.name === 'timestep' ? 1 : 4);
      }),
    );
    expect(await refusedImport(['--onnx', open, ...SCHEDULE])).toMatch(
      /--image: "sample" has shape \[batch,c,h,w\], so give the image size as C,H,W/,
    );
    expect(await refusedImport(['--onnx', open, ...SCHEDULE, '--image', '1,2000,4'])).toMatch(
      /--image: 1x2000x4 is beyond the app's limits/,
    );
  });

  it('--value-range: malformed, or not increasing', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--value-range', '0'])).toMatch(
      /--value-range takes two numbers, LO,HI, got "0"/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--value-range=1,0'])).toMatch(
      /--value-range 1,0: needs LO,HI with LO < HI/,
    );
  });

  it('--name and --dataset: empty', async () => {
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--name', ' '])).toMatch(
      /--name: must not be empty/,
    );
    expect(await refusedImport(['--onnx', good, ...SCHEDULE, '--dataset', ''])).toMatch(
      /--dataset: must not be empty/,
    );
  });

  it('--out: a folder of the user files, or one that takes no files; nothing changes', async () => {
    const mine = join(scratch, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'thesis.tex'), '\\documentclass{article}');
    const before = await treeHashes(mine);
    const stderr = refused(await runCli('import', ['--onnx', good, ...SCHEDULE, '--out', mine]));
    expect(stderr).toMatch(
      /--out .*mine is not empty and not a model folder \(it holds thesis\.tex\)/,
    );
    expect(await treeHashes(mine)).toEqual(before);
    const ro = await readOnlyDir(scratch);
    expect(
      refused(await runCli('import', ['--onnx', good, ...SCHEDULE, '--out', join(ro, 'm')])),
    ).toMatch(/--out .*cannot create files in/);
  });
});

describe('import: networks it cannot wrap, named by input', () => {
  it('an input it cannot feed (a class label)', async () => {
    const labelled = await file(
      'labelled.onnx',
      (() => {
        const g = new Graph();
        const x = g.input('sample', [1, 1, 4, 4]);
        const t = op.cast(g.input('timestep', [1], 'int64'), 'float32');
        const y = g.input('class_labels', [1]);
        const shift = op.reshape(op.add(op.mul(t, 0), op.mul(y, 0)), [1, 1, 1, 1]);
        return serialize(g, { outputs: { out_sample: op.add(x, shift) }, dynamicBatch: 'batch' })
          .model;
      })(),
    );
    expect(await refusedImport(['--onnx', labelled, ...SCHEDULE])).toMatch(
      /input "class_labels" \[batch\] is not one the import can feed/,
    );
  });

  it('float16 images, a fixed batch, a scalar timestep, an int64 timestep for edm', async () => {
    const half = await file(
      'half.onnx',
      edited((g) => {
        g.input.find((i) => i.name === 'sample')!.type!.tensorType!.elemType =
          pb.TensorProto.DataType.FLOAT16;
      }),
    );
    expect(await refusedImport(['--onnx', half, ...SCHEDULE])).toMatch(
      /"sample" is FLOAT16; the import needs FLOAT \(float32\) images/,
    );
    const fixed = await file(
      'fixed.onnx',
      edited((g) => {
        g.input.find((i) => i.name === 'sample')!.type!.tensorType!.shape!.dim![0] = {
          dimValue: 1,
        };
      }),
    );
    expect(await refusedImport(['--onnx', fixed, ...SCHEDULE])).toMatch(
      /"sample" has a fixed batch of 1; export with dynamic_axes=\{'sample': \{0: 'batch'\}\}/,
    );
    const scalar = await file(
      'scalar.onnx',
      edited((g) => {
        g.input.find((i) => i.name === 'timestep')!.type!.tensorType!.shape!.dim = [];
      }),
    );
    expect(await refusedImport(['--onnx', scalar, ...SCHEDULE])).toMatch(
      /timestep input "timestep" has shape \[\]; it must be one value per image/,
    );
    expect(await refusedImport(['--onnx', good, '--prediction', 'edm'])).toMatch(
      /timestep input "timestep" is INT64; the import feeds FLOAT \(c_noise\)/,
    );
  });

  it('an output of twice the channels (a learned variance)', async () => {
    const learned = await file(
      'learned.onnx',
      network((_, x) => ({ out_sample: op.concat([x, x], 1) })),
    );
    expect(await refusedImport(['--onnx', learned, ...SCHEDULE])).toMatch(
      /disagree at axis 1 \(an output of 2C channels is a learned variance, which is not supported\)/,
    );
  });

  it('a network whose test call on zeros is not finite', async () => {
    const nan = await file(
      'nan.onnx',
      network((_, x) => ({ out_sample: op.div(op.mul(x, 0), 0) })),
    );
    expect(await refusedImport(['--onnx', nan, ...SCHEDULE])).toMatch(
      /--onnx .*nan\.onnx: the test call on zeros "out_sample" holds NaN at index 0/,
    );
  });
});
