// Import rules of the project, checked by `npm run lint` (scripts/check-imports.ts runs this).
//
// Layers, lowest first; a file may import its own layer and the layers below it, never one above:
//   src/core     pure isomorphic math; imports nothing of ours outside src/core
//   src/graph    the ONNX graph builder; may import core
//   src/runtime  ORT sessions and model loading; may import core, graph
//   src/train    the Node trainer and the data/model definitions the browser trainer reuses;
//                may import core, graph, runtime
//   src/app      the React app and its workers; may import core, graph, runtime, train;
//                nothing in src imports it
// train sits below app, not beside it, because the browser trainer runs the Node trainer's model,
// data and trainer core (declared once, in src/train); the trainer never reaches into the app.
// A file's layer is its folder, tests and testkits included: a test that needs ORT lives in
// src/runtime or above. test/, e2e/, bench/ and scripts/ stand outside the stack: they drive
// it and may import any layer; nothing in src imports them.
// Type-only imports count everywhere (tsPreCompilationDeps), cycles included.
const layer = (name, above) => ({
  name: `layer-${name}`,
  comment: `src/${name} imports ${above.join(', ')}: those layers sit above it`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: `^src/(${above.join('|')})/` },
});

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle (type-only imports included)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('core', ['graph', 'runtime', 'train', 'app']),
    layer('graph', ['runtime', 'train', 'app']),
    layer('runtime', ['train', 'app']),
    layer('train', ['app']),
    {
      name: 'layer-drivers',
      comment: 'src imports test/, e2e/, bench/ or scripts/, which stand outside the layers',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|e2e|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
