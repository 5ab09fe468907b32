// npm run export -- RUN OUT_DIR [--name NAME] [--force]
//   RUN: a run folder (its latest checkpoint) or a checkpoint file (e.g. RUN/snapshots/step-000200.ckpt)
//   OUT_DIR must be missing, empty or a model folder; --force replaces whatever is there.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { exportRun } from '../export';
import { resolveRunDir } from '../trainer';

const program = new Command('export')
  .description("Export a run's EMA parameters as a model folder, after the ONNX parity check.")
  .argument('<run>', 'run folder, run name under the runs folder, or a .ckpt file')
  .argument(
    '<out>',
    'model folder to write: missing, empty or a model folder (replaced atomically)',
  )
  .option('--name <name>', 'model name in the manifest (default: the folder name)')
  .option('--force', 'replace <out> even if it holds other files (they are deleted)', false);

async function main(): Promise<void> {
  program.parse();
  const [run, out] = program.args as [string, string];
  const { name, force } = program.opts<{ name?: string; force: boolean }>();
  const res = await exportRun(run.endsWith('.ckpt') ? run : resolveRunDir(run), out, {
    name,
    force,
  });
  const m = res.manifest;
  console.log(
    `parity: denoiser ${res.parity.denoiser.toExponential(2)}` +
      (res.parity.encoder !== null ? `, encoder ${res.parity.encoder.toExponential(2)}` : ''),
  );
  const via = res.dir === resolve(out) ? '' : ` (where ${out} links to)`;
  console.log(`wrote ${res.dir}${via}: ${m.kind} ${m.name}, ${m.training.steps} steps`);
  for (const f of Object.values(m.files))
    console.log(`  ${f.path}  ${f.bytes} bytes  sha256 ${f.sha256.slice(0, 12)}…`);
}

main().catch((e: unknown) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
