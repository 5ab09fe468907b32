/** Element types the builder emits. float64 exists for finite-difference tests. */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';

export type Shape = readonly number[];

/** ONNX attribute values, tagged so serialisation never has to guess int vs float. */
export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export type Attrs = Readonly<Record<string, Attr>>;

export type FloatArray = Float32Array | Float64Array;

/** Raw values of a constant or initializer. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}
