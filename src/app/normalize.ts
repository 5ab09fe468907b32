// Shared by the sampler settings (state/settings.ts) and the training options (training/options.ts):
// both take raw values from inputs, URLs and IndexedDB and say what they changed.

/** What a normaliser changed, one sentence each, for the page to show. */
export type Notices = string[];

/**
 * A number from any raw value (a URL's string, an input's number), clamped to `range` and rounded
 * unless `fractional`; anything that is not a number gives `fallback`. Each change is noticed.
 */
export function boundedNumber(
  name: string,
  raw: unknown,
  range: { readonly min: number; readonly max: number },
  fallback: number,
  notices: Notices,
  fractional = false,
): number {
  const { min, max } = range;
  const v =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN;
  if (!Number.isFinite(v)) {
    notices.push(`${name} "${String(raw)}" is not a number; using ${fallback}`);
    return fallback;
  }
  const clamped = Math.min(max, Math.max(min, fractional ? v : Math.round(v)));
  if (clamped !== v) {
    const why =
      v > max
        ? `above the maximum ${max}`
        : v < min
          ? `below the minimum ${min}`
          : 'not a whole number';
    notices.push(`${name} ${v} is ${why}; using ${clamped}`);
  }
  return clamped;
}
