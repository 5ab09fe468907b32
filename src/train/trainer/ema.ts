/** Exponential moving average of every parameter (Algorithm 1), in plain Float32Array loops. */
export class ParamEma {
  private constructor(readonly values: Map<string, Float32Array>) {}

  /** Algorithm 1 starts the EMA as a copy of the initial parameters. */
  static from(params: ReadonlyMap<string, Float32Array>): ParamEma {
    return new ParamEma(new Map([...params].map(([k, v]) => [k, v.slice()])));
  }

  update(params: ReadonlyMap<string, Float32Array>, mu: number): void {
    const a = 1 - mu;
    for (const [name, ema] of this.values) {
      const p = params.get(name);
      if (!p || p.length !== ema.length)
        throw new Error(`EMA: parameter '${name}' is missing or resized`);
      for (let i = 0; i < ema.length; i++) ema[i] = mu * ema[i]! + a * p[i]!;
    }
  }
}
