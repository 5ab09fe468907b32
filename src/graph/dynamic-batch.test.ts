import { describe, expect, it } from 'vitest';
import { exportModel } from './export';
import { Graph, GraphError } from './graph';
import * as op from './ops';

// Running the export at other batch sizes needs ORT: src/runtime/graph-tests/dynamic-batch.test.ts.
describe('dynamic batch export', () => {
  it('refuses a graph that mixes samples, naming the node', () => {
    const g = new Graph();
    const x = g.input('x', [2, 3]);
    const y = op.sub(x, op.reduceMean(x, [0], true));
    expect(() => exportModel(g, { y }, 'bad', { dynamicBatch: 'batch' })).toThrow(GraphError);
    expect(() => exportModel(g, { y }, 'bad', { dynamicBatch: 'batch' })).toThrow(
      /ReduceMean.*batch axis/,
    );
  });
});
