import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface FidPoint {
  /** Solver label (solverLabel), e.g. "iPNDM (Adams-Bashforth) + AFS". */
  solver: string;
  kind: 'qac' | 'baseline';
  nfe: number;
  fidProxy: number;
}

/** FID proxy vs NFE, one panel per solver, QAC and baseline as two lines: a PNG. */
export async function fidPlotPng(title: string, points: readonly FidPoint[]): Promise<Buffer> {
  const nfes = [...new Set(points.map((p) => p.nfe))].sort((a, b) => a - b);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: points.map((p) => ({ ...p })) },
    facet: {
      field: 'solver',
      type: 'nominal',
      title: null,
      sort: [...new Set(points.map((p) => p.solver))],
    },
    columns: 4,
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'nfe',
          type: 'quantitative',
          scale: { type: 'log', domain: [Math.min(...nfes), Math.max(...nfes)], nice: false },
          axis: { values: nfes },
          title: 'NFE',
        },
        y: {
          field: 'fidProxy',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'FID proxy (lower is better)',
        },
        color: {
          field: 'kind',
          type: 'nominal',
          scale: { domain: ['qac', 'baseline'], range: ['#d62728', '#1f77b4'] },
          title: null,
        },
      },
    },
    config: { font: 'DejaVu Sans', background: 'white' },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
