import { z } from 'zod';

/** One dataset's model pair: a QAC model and its identical unconditional baseline. */
const catalogPairSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  label: z.string().min(1),
  /** Folders under models/ holding each model's manifest.json. */
  qac: z.string().min(1),
  baseline: z.string().min(1),
  /** Optional PNG under models/: a row of held-out dataset images at the models' size. */
  examples: z.string().min(1).optional(),
});

/** `models/catalog.json`: the pairs the app offers and the one it opens with. */
const catalogSchema = z
  .object({
    version: z.literal(1),
    default: z.string().min(1),
    pairs: z.array(catalogPairSchema).min(1),
  })
  .superRefine((c, ctx) => {
    if (!c.pairs.some((p) => p.id === c.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `no pair has id "${c.default}"` });
    }
    const ids = new Set<string>();
    for (const [i, p] of c.pairs.entries()) {
      if (ids.has(p.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pairs', i, 'id'],
          message: `duplicate id "${p.id}"`,
        });
      }
      ids.add(p.id);
    }
  });

export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogPair = z.infer<typeof catalogPairSchema>;

/** Parses catalog JSON text, with an error naming the file and the first bad field. */
export function parseCatalog(text: string, source = 'models/catalog.json'): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const r = catalogSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source} (${issue.path.join('.') || 'root'}): ${issue.message}`);
  }
  return r.data;
}
