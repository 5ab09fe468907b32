import { InvalidArgumentError } from 'commander';

/**
 * commander parsers that reject bad numbers with a message naming the flag. `max` bounds the
 * values whose memory grows with them, so an absurd one is refused instead of crashing V8 or ORT.
 */
export const intArg = (flag: string, min: number, max?: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new InvalidArgumentError(
      max === undefined
        ? `${flag} must be an integer >= ${min}`
        : `${flag} must be an integer from ${min} to ${max.toLocaleString('en')}`,
    );
  }
  return n;
};

export const numArg = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${flag} must be a positive number`);
  return n;
};

/** Any finite number, negative included (a log-scale mean). */
export const finiteArg = (flag: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`${flag} must be a number`);
  return n;
};

export const intListArg = (flag: string, max?: number) => (value: string) =>
  value.split(',').map((v) => intArg(flag, 1, max)(v.trim()));

/** A comma-separated list whose every item must be one of `choices`. */
export const choiceListArg =
  <T extends string>(flag: string, choices: readonly T[]) =>
  (value: string): T[] =>
    value.split(',').map((v) => {
      const item = v.trim();
      if (!(choices as readonly string[]).includes(item))
        throw new InvalidArgumentError(`${flag}: "${item}" is not one of ${choices.join(', ')}`);
      return item as T;
    });

/** "share,mean,std": a noise-density component drawn with probability share. */
export const noiseMixArg = (flag: string) => (value: string) => {
  const parts = value.split(',').map((v) => v.trim());
  const [share, mean, std] = parts.map(Number);
  if (
    parts.length !== 3 ||
    parts.some((v) => v === '') ||
    !(share! > 0 && share! < 1) ||
    !Number.isFinite(mean) ||
    !(Number.isFinite(std) && std! > 0)
  )
    throw new InvalidArgumentError(
      `${flag} must be share,mean,std with 0 < share < 1 and std > 0 (e.g. 0.15,1.5,0.5)`,
    );
  return { share: share!, mean: mean!, std: std! };
};
