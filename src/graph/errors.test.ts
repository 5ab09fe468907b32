import { describe, expect, it } from 'vitest';
import { exportModel } from './export';
import { grad } from './grad/grad';
import { Graph, GraphError } from './graph';
import * as op from './ops';
import { Params } from './params';
import { buildTrainingStep } from './step';

const U = { kind: 'uniform', bound: 1 } as const;

describe('build-time errors', () => {
  it('names the node and both shapes on a broadcast mismatch', () => {
    const g = new Graph();
    const a = g.input('a', [2, 3]);
    const b = g.input('b', [4, 3]);
    expect(() => g.scope('block1', () => op.add(a, b))).toThrow(
      /block1\/Add_\d+: shapes \[2,3\] and \[4,3\]/,
    );
  });

  it('names both shapes when a conv weight does not fit its input', () => {
    const g = new Graph();
    const x = g.input('x', [1, 3, 8, 8]);
    const w = g.input('w', [4, 2, 3, 3]);
    expect(() => op.conv2d(x, w, null)).toThrow(
      /Conv_\d+: input \[1,3,8,8\] does not fit weight \[4,2,3,3\]/,
    );
  });

  it('names both shapes on a matmul mismatch', () => {
    const g = new Graph();
    expect(() => op.matmul(g.input('a', [2, 3]), g.input('b', [4, 5]))).toThrow(
      /MatMul_\d+: cannot multiply \[2,3\] by \[4,5\]/,
    );
  });

  it('refuses an unknown op', () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    expect(() => g.add1('Frobnicate', [x], { shape: [2], dtype: 'float32' })).toThrow(
      /unknown op 'Frobnicate'/,
    );
  });

  it('refuses a gradient for a data input', () => {
    const g = new Graph();
    const p = Params.create(g);
    const x = g.input('x', [3]);
    const loss = op.mean(op.mul(x, p.param('w', [3], U)));
    expect(() => grad(loss, [x])).toThrow(GraphError);
    expect(() => grad(loss, [x])).toThrow(/grad: x is not a parameter \(it is a data tensor\)/);
  });

  it('names the op that has no gradient rule', () => {
    const g = new Graph();
    const p = Params.create(g);
    const w = p.param('w', [3], U);
    const loss = op.mean(op.cast(op.cast(w, 'float64'), 'float32'));
    expect(() => grad(loss, [w])).toThrow(/no gradient rule for op 'Cast' \(node Cast_\d+\)/);
  });

  it('refuses a non-scalar loss', () => {
    const g = new Graph();
    const p = Params.create(g);
    const w = p.param('w', [3], U);
    expect(() => grad(op.square(w), [w])).toThrow(/loss .* must be a float scalar, got \[3\]/);
  });

  it('refuses duplicate parameters and missing export values', () => {
    const g = new Graph();
    const p = Params.create(g);
    p.scope('a').param('w', [2], U);
    expect(() => p.param('a.w', [2], U)).toThrow(/parameter 'a.w' is declared twice/);
    const pe = Params.create(new Graph(), {
      kind: 'export',
      values: new Map([['w', new Float32Array(3)]]),
    });
    expect(() => pe.param('v', [2], U)).toThrow(/no value given for parameter 'v'/);
    expect(() => pe.param('w', [2], U)).toThrow(/'w' has 3 values, shape \[2\] needs 2/);
  });

  it('refuses ops outside the WebGPU list and parameters left as inputs on export', () => {
    const g = new Graph();
    const x = g.input('x', [3]);
    expect(() => exportModel(g, { y: op.maximum(x, 0) })).toThrow(
      /op 'Max' \(node Max_\d+\) is not supported/,
    );
    const p = Params.create(g);
    expect(() => exportModel(g, { y: op.mul(x, p.param('w', [3], U)) })).toThrow(
      /parameter 'w' is a graph input/,
    );
  });

  it('refuses extra step outputs under reserved names', () => {
    const g = new Graph();
    const p = Params.create(g);
    const w = p.param('w', [2], U);
    const loss = op.mean(op.square(w));
    expect(() => buildTrainingStep(p, { loss, outputs: { loss: w } })).toThrow(
      /output name 'loss' is reserved/,
    );
  });
});
