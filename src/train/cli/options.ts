import { InvalidArgumentError } from 'commander';

/** commander parsers that reject bad numbers with a message naming the flag. */
export const intArg = (flag: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`${flag} must be an integer >= ${min}`);
  return n;
};

export const numArg = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`${flag} must be a positive number`);
  return n;
};

export const intListArg = (flag: string) => (value: string) =>
  value.split(',').map((v) => intArg(flag, 1)(v.trim()));
