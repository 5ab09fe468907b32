import { GraphError, type Graph, type Tensor } from './graph';
import { initValues, type Init } from './init';
import { fmtShape, sizeOf, type Shape } from './types';

export interface ParamSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly init: Init;
}

/** Parameter values by name (the trainer's checkpoints and the exporter use this). */
export type ParamValues = ReadonlyMap<string, Float32Array>;

/**
 * Where parameters come from while a model function builds its graph: graph inputs that
 * gradients can be taken for ('train'), or initializers holding given values ('export').
 */
export type ParamMode =
  { readonly kind: 'train' } | { readonly kind: 'export'; readonly values: ParamValues };

interface Registry {
  readonly graph: Graph;
  readonly mode: ParamMode;
  readonly specs: ParamSpec[];
  readonly tensors: Map<string, Tensor>;
  readonly dtype: 'float32' | 'float64';
}

/**
 * The parameter registry a model function declares its weights in. Scopes prefix names
 * ('enc.conv0.w'); every scope shares one registry.
 */
export class Params {
  private constructor(
    private readonly reg: Registry,
    private readonly prefix: string,
  ) {}

  /** float64 parameters exist for finite-difference checks; models train in float32. */
  static create(
    graph: Graph,
    mode: ParamMode = { kind: 'train' },
    dtype: 'float32' | 'float64' = 'float32',
  ): Params {
    return new Params({ graph, mode, specs: [], tensors: new Map(), dtype }, '');
  }

  get graph(): Graph {
    return this.reg.graph;
  }

  /** A child scope: `p.scope('down0').param('w', ...)` is named 'down0.w'. */
  scope(name: string): Params {
    return new Params(this.reg, this.prefix + name + '.');
  }

  /** Declare a parameter and get its tensor. Names must be unique across the model. */
  param(name: string, shape: Shape, init: Init): Tensor {
    const full = this.prefix + name;
    const { graph, mode, specs, tensors, dtype } = this.reg;
    if (tensors.has(full)) throw new GraphError(`parameter '${full}' is declared twice`);
    let t: Tensor;
    if (mode.kind === 'train') {
      t = graph.input(full, shape, dtype, 'param');
    } else {
      const v = mode.values.get(full);
      if (!v) throw new GraphError(`export: no value given for parameter '${full}'`);
      if (v.length !== sizeOf(shape)) {
        throw new GraphError(
          `export: parameter '${full}' has ${v.length} values, shape ${fmtShape(shape)} needs ${sizeOf(shape)}`,
        );
      }
      t = graph.initializer(full, dtype === 'float64' ? Float64Array.from(v) : v, shape, dtype);
    }
    specs.push({ name: full, shape: [...shape], init });
    tensors.set(full, t);
    return t;
  }

  /** All parameters declared so far, in declaration order. */
  get specs(): readonly ParamSpec[] {
    return this.reg.specs;
  }

  get tensors(): ReadonlyMap<string, Tensor> {
    return this.reg.tensors;
  }

  get count(): number {
    return this.reg.specs.reduce((n, s) => n + sizeOf(s.shape), 0);
  }

  /** Seeded initial values for every declared parameter. */
  initialValues(seed: number): Map<string, Float32Array> {
    return new Map(this.reg.specs.map((s) => [s.name, initValues(s.init, s.shape, seed, s.name)]));
  }
}
