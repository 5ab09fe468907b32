import { basename, resolve } from 'node:path';
import type { NodeEp } from '../../runtime/node/ep';
import { loadDataset } from '../data';
import { attributesOf } from './attribute-sets';
import {
  CLASSIFIER_SCHEDULE,
  trainClassifier,
  writeClassifier,
  type ClassifierTraining,
} from './classifier';
import type { Augmentation } from './augment';

/** The CLI's flags: the training settings, plus where the data comes from and the folder to write. */
export interface ClassifierFlags extends Omit<ClassifierTraining, 'ep' | 'augment' | 'onStep'> {
  dataset: string;
  dataDir?: string;
  limit?: number;
  augment: Augmentation[];
  out: string;
  ep: NodeEp;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** `npm run train -- --classifier`: train, report held-out accuracy, export. */
export async function trainClassifierCli(f: ClassifierFlags): Promise<void> {
  const ds = await loadDataset(f.dataset, { dataDir: f.dataDir, limit: f.limit });
  const dir = resolve(f.out);
  const attributes = attributesOf(ds.name);
  console.log(
    `classifier (${f.arch}) on ${ds.name}: ${ds.count} images, ${ds.classNames.length} classes, ${f.steps} steps x ${f.batch}, ${f.threads} thread(s)${f.augment.length ? `, augment ${f.augment.join('+')}` : ''}`,
  );
  const res = await trainClassifier(
    ds,
    {
      ...f,
      onStep: (s, loss) => {
        if (s % 100 === 0 || s === f.steps)
          process.stdout.write(`step ${s}/${f.steps} loss ${loss.toFixed(4)}\n`);
      },
    },
    attributes,
  );
  await writeClassifier(
    dir,
    {
      format: 'qac-playground-classifier',
      name: basename(dir),
      dataset: ds.name,
      config: res.cfg,
      classNames: ds.classNames,
      featureDim: res.cfg.hidden ?? res.cfg.widths.at(-1)!,
      heldOutAccuracy: res.accuracy,
      heldOutImages: res.heldOutImages,
      ...(res.attributes.length > 0 && { attributes: res.attributes }),
      steps: f.steps,
      training: {
        batch: f.batch,
        lr: f.lr,
        schedule: CLASSIFIER_SCHEDULE,
        seed: f.seed,
        threads: f.threads,
        ...(f.augment.length > 0 && { augment: f.augment }),
        seconds: Math.round(res.seconds),
        imagesPerSecond: Math.round((f.steps * f.batch) / res.seconds),
      },
    },
    res.model,
  );
  for (const a of res.attributes)
    console.log(`  ${a.name} (${a.values.join(' / ')}): ${pct(a.heldOutAccuracy)}`);
  console.log(
    `held-out accuracy ${pct(res.accuracy)} on ${res.heldOutImages} images after ${res.seconds.toFixed(0)} s of training; wrote ${dir}`,
  );
}
