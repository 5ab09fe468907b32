import type { LoadedModel } from '../../runtime';
import { gather, heldOutSplit, loadDataset } from '../data';

/** Where a QAC evaluation takes its codes: the paper's draws from the sampling weights, or the
 * codes of real training images (to tell a badly drawn code from a badly rendered one). */
export const CODE_SOURCES = ['weights', 'train-images'] as const;
export type CodeSource = (typeof CODE_SOURCES)[number];

// One evaluation asks for the same codes once per solver x NFE: load and encode the data once.
const memo = new WeakMap<LoadedModel, Map<number, Promise<Float32Array>>>();

/**
 * Code bits (+-1, [n, d]) the model's encoder gives the first n images of its training split,
 * computed once per model and n.
 */
export function trainImageCodes(model: LoadedModel, n: number): Promise<Float32Array> {
  let byCount = memo.get(model);
  if (!byCount) memo.set(model, (byCount = new Map()));
  let codes = byCount.get(n);
  if (!codes) {
    codes = encodeTrainImages(model, n);
    // A failed attempt (a baseline, too few images) is not kept: the next call says why again.
    codes.catch(() => byCount.delete(n));
    byCount.set(n, codes);
  }
  return codes;
}

async function encodeTrainImages(model: LoadedModel, n: number): Promise<Float32Array> {
  const batch = 250;
  const d = model.codeBits;
  if (d === 0)
    throw new Error(
      `${model.manifest.name} is a baseline model: it has no encoder to take codes from`,
    );
  const cfg = model.manifest.training.config as { dataset: string; dataDir?: string };
  const ds = await loadDataset(cfg.dataset, { dataDir: cfg.dataDir });
  const { train } = heldOutSplit(ds);
  if (n > train.length)
    throw new Error(`codes of ${n} training images asked; ${cfg.dataset} has ${train.length}`);
  const signs = new Float32Array(n * d);
  for (let start = 0; start < n; start += batch) {
    const b = Math.min(batch, n - start);
    const { images } = gather(ds, train.subarray(start, start + b));
    signs.set(await model.encode(images, b), start * d);
  }
  return signs;
}
