// npm run examples -- --dataset emoji --out models/emoji-examples.png
// The app's example row for a catalog pair: the first held-out image of each class (then the next
// held-out images while the row has room), no padding,
// so tile k is pixels [k * width, (k + 1) * width) of the row.
import { Command } from 'commander';
import { gather, heldOutSplit, loadDataset } from '../data';
import { writeFileAtomic } from '../io/atomic';
import { checkOutputFile, PNG_FILE } from '../io/outputs';
import { encodePngGrid } from '../io/png-grid';
import { intArg } from './options';

const program = new Command('examples')
  .description('Write the first held-out image of each class as one PNG row (the app inputs).')
  .requiredOption('--dataset <name>', 'dataset name (see npm run train -- --help)')
  .requiredOption('--out <file.png>', 'where to write the row')
  .option('--max <count>', 'at most this many images', intArg('--max', 1), 10)
  .option('--data-dir <dir>', 'raw data folder for datasets that need one')
  .option('--force', 'overwrite --out even if it is not a PNG file', false);

async function main(): Promise<void> {
  const f = program
    .parse()
    .opts<{ dataset: string; out: string; max: number; dataDir?: string; force: boolean }>();
  await checkOutputFile(f.out, { what: '--out', kind: PNG_FILE, force: f.force });
  const ds = await loadDataset(f.dataset, { dataDir: f.dataDir });
  const { heldOut } = heldOutSplit(ds);
  const picked: number[] = [];
  const seen = new Set<number>();
  for (const i of heldOut) {
    const label = ds.labels[i]!;
    if (seen.has(label)) continue;
    seen.add(label);
    picked.push(i);
    if (picked.length === f.max) break;
  }
  // A dataset with fewer classes than --max (avatars have one) fills the row in held-out order.
  for (const i of heldOut) {
    if (picked.length >= f.max) break;
    if (!picked.includes(i)) picked.push(i);
  }
  const { images } = gather(ds, Uint32Array.from(picked));
  const png = encodePngGrid(images, [picked.length, ds.channels, ds.height, ds.width], {
    columns: picked.length,
    padding: 0,
  });
  await writeFileAtomic(f.out, png);
  const names = picked.map((i) => ds.classNames[ds.labels[i]!]).join(', ');
  console.log(`wrote ${f.out}: ${picked.length} held-out images (${names})`);
}

main().catch((e: unknown) => {
  console.error(`examples: ${(e as Error).message}`);
  process.exit(1);
});
