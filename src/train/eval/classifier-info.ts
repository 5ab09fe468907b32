import { z } from 'zod';
import { parseJsonFile } from '../io/json';
import { AUGMENTATIONS } from './augment';

/** The one definition of classifier.json: what the features of classifier.onnx mean and how good they are. */
const CLASSIFIER_FORMAT = 'qac-playground-classifier';

const configSchema = z.object({
  channels: z.number().int().positive(),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  classes: z.number().int().min(2),
  widths: z.array(z.number().int().positive()).min(1),
  strides: z.array(z.number().int().positive()).optional(),
  groups: z.number().int().positive().optional(),
  hidden: z.number().int().positive().optional(),
  activation: z.enum(['silu', 'relu']).optional(),
});

/**
 * One binary attribute read off the class index: class c has value `values[(c >> bit) & 1]`.
 * The attribute's prediction is the summed softmax of the classes that carry value 1.
 */
const attributeAccuracySchema = z.object({
  name: z.string().min(1),
  bit: z.number().int().nonnegative(),
  values: z.tuple([z.string(), z.string()]),
  heldOutAccuracy: z.number().min(0).max(1),
});

const classifierInfoSchema = z.object({
  format: z.literal(CLASSIFIER_FORMAT),
  name: z.string().min(1),
  dataset: z.string().min(1),
  config: configSchema,
  classNames: z.array(z.string()),
  featureDim: z.number().int().positive(),
  heldOutAccuracy: z.number().min(0).max(1),
  /** Held-out images the accuracies were measured on; absent in the first classifiers. */
  heldOutImages: z.number().int().positive().optional(),
  attributes: z.array(attributeAccuracySchema).optional(),
  steps: z.number().int().positive(),
  /** How it was trained, enough to rerun it; absent in the first classifiers. */
  training: z
    .object({
      batch: z.number().int().positive(),
      lr: z.number().positive(),
      schedule: z.string().min(1),
      seed: z.number().int().nonnegative(),
      threads: z.number().int().positive(),
      /** Absent: no augmentation. */
      augment: z.array(z.enum(AUGMENTATIONS)).optional(),
      seconds: z.number().nonnegative(),
      imagesPerSecond: z.number().nonnegative(),
    })
    .optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ClassifierInfo = z.infer<typeof classifierInfoSchema>;
export type AttributeAccuracy = z.infer<typeof attributeAccuracySchema>;

/** Parses classifier.json, naming the file and the first bad field on failure. */
export function parseClassifierInfo(text: string, path: string): ClassifierInfo {
  return parseJsonFile(text, path, classifierInfoSchema, 'a classifier description');
}
