import type { z } from 'zod';

/**
 * Parses a JSON file's text with `schema`, naming the file and the first bad field on failure;
 * `what` ("a classifier description") frames the field error when given.
 */
export function parseJsonFile<T>(
  text: string,
  path: string,
  schema: z.ZodType<T>,
  what?: string,
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`, { cause: e });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = `${issue.path.join('.') || 'root'}: ${issue.message}`;
    throw new Error(what ? `${path}: not ${what} (${field})` : `${path}: ${field}`);
  }
  return r.data;
}
