import type { Shape } from './types';
import { sizeOf } from './types';

/** How a parameter starts. Bounds follow the usual PyTorch defaults when built with `kaiming`. */
export type Init =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number };

/**
 * Kaiming-uniform as PyTorch initialises Conv/Linear weights and biases:
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)) times `gain` (1 by default).
 */
export function kaiming(fanIn: number, gain = 1): Init {
  return { kind: 'uniform', bound: gain / Math.sqrt(fanIn) };
}

/** FNV-1a of the name, so each parameter's stream is independent of declaration order. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for initial weights. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic values for one parameter: same (seed, name, shape, init) gives the same array. */
export function initValues(init: Init, shape: Shape, seed: number, name: string): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  const next = rng(hashName(name) ^ Math.imul(seed, 0x9e3779b1));
  switch (init.kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'constant':
      out.fill(init.value);
      break;
    case 'uniform':
      for (let i = 0; i < out.length; i++) out[i] = (2 * next() - 1) * init.bound;
      break;
    case 'normal':
      for (let i = 0; i < out.length; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - next()));
        const th = 2 * Math.PI * next();
        out[i] = init.std * r * Math.cos(th);
        if (i + 1 < out.length) out[i + 1] = init.std * r * Math.sin(th);
      }
      break;
  }
  return out;
}
