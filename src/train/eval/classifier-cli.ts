import { basename, resolve } from 'node:path';
import { loadDataset } from '../data';
import { trainClassifier, writeClassifier } from './classifier';

export interface ClassifierFlags {
  dataset: string;
  dataDir?: string;
  limit?: number;
  steps: number;
  batch: number;
  seed: number;
  out: string;
}

/** `npm run train -- --classifier`: train, report held-out accuracy, export. */
export async function trainClassifierCli(f: ClassifierFlags): Promise<void> {
  const ds = await loadDataset(f.dataset, { dataDir: f.dataDir, limit: f.limit });
  const dir = resolve(f.out);
  console.log(
    `classifier on ${ds.name}: ${ds.count} images, ${ds.classNames.length} classes, ${f.steps} steps`,
  );
  const t0 = performance.now();
  const res = await trainClassifier(ds, {
    steps: f.steps,
    batch: f.batch,
    lr: 2e-3,
    seed: f.seed,
    onStep: (s, loss) => {
      if (s % 100 === 0 || s === f.steps)
        process.stdout.write(`step ${s}/${f.steps} loss ${loss.toFixed(4)}\n`);
    },
  });
  await writeClassifier(
    dir,
    {
      format: 'qac-playground-classifier',
      name: basename(dir),
      dataset: ds.name,
      config: res.cfg,
      classNames: ds.classNames,
      featureDim: res.cfg.widths[3],
      heldOutAccuracy: res.accuracy,
      steps: f.steps,
    },
    res.model,
  );
  console.log(
    `held-out accuracy ${(100 * res.accuracy).toFixed(2)}% after ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${dir}`,
  );
}
