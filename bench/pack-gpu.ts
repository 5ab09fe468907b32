/**
 * Packs bench:gpu to run on a bare x86-64 Linux GPU machine: a Vulkan loader and driver, but no
 * Node and no network. The bundle (one .tar.xz, at most 64 MiB) holds this machine's node binary,
 * onnxruntime-node's linux x64 binaries and JS, bench/gpu.ts compiled to one JS file, the avatars
 * model, libstdc++ and libgcc_s for a system without them, and run.sh. bench/README.md has the
 * steps. --verify unpacks it into a temporary folder and runs it there with an empty PATH (so no
 * node but the bundle's can run) on a short budget.
 *
 * Usage: npm run bench:gpu:pack [-- --out .cache/qac-gpu-bench.tar.xz] [--verify]
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { build } from 'esbuild';
import { parseManifest } from '../src/runtime';

const LIMIT = 64 * 1024 * 1024;
const NAME = 'qac-gpu-bench';
const MODEL = 'models/avatars-qac';

const opts = new Command('bench:gpu:pack')
  .option('--out <file>', 'the bundle', `.cache/${NAME}.tar.xz`)
  .option('--verify', 'unpack the bundle and run it with an empty PATH', false)
  .parse()
  .opts<{ out: string; verify: boolean }>();

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The shared libraries node and onnxruntime-node need beyond glibc, as this machine has them. */
function cxxRuntime(): string[] {
  const cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
  return ['libstdc++.so.6', 'libgcc_s.so.1'].map((lib) => {
    const m = new RegExp(`^\\s*${lib.replace(/[.+]/g, '\\$&')} \\(libc6,x86-64\\) => (\\S+)`, 'm');
    const path = m.exec(cache)?.[1];
    if (!path) throw new Error(`ldconfig knows no x86-64 ${lib}`);
    return path;
  });
}

// run.sh uses no external command, so it runs with an empty PATH. Node built for glibc needs
// libstdc++: the system's when it works, else the bundle's copy.
const RUN_SH = `#!/bin/sh
# bench:gpu without Node: ./run.sh [bench:gpu flags, e.g. --budget 480]
cd "\${0%/*}" || exit 1
if ! ./node --version >/dev/null 2>&1; then
  export LD_LIBRARY_PATH="$PWD/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
exec ./node bench-gpu.mjs "$@"
`;

async function pack(out: string): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`packs linux x64 binaries; this is ${process.platform} ${process.arch}`);
  const work = mkdtempSync(join(tmpdir(), 'qac-pack-'));
  const root = join(work, NAME);
  try {
    // The bench in one ESM file; onnxruntime-node stays a package (it loads its .node binary by path).
    await build({
      entryPoints: ['bench/gpu.ts'],
      outfile: join(root, 'bench-gpu.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['onnxruntime-node'],
      // Bundled CommonJS (protobufjs, commander) calls require.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'warning',
    });
    copyFileSync(process.execPath, join(root, 'node'));
    const ortNode = packageDir('onnxruntime-node');
    const ortCommon = dirname(dirname(dirname(require.resolve('onnxruntime-common'))));
    const modules = join(root, 'node_modules');
    const bin = 'bin/napi-v6/linux/x64';
    for (const [from, to, parts] of [
      [ortNode, 'onnxruntime-node', ['package.json', 'dist', bin]],
      [ortCommon, 'onnxruntime-common', ['package.json', 'dist/cjs']],
    ] as const) {
      for (const part of parts)
        cpSync(join(from, part), join(modules, to, part), { recursive: true });
    }
    const manifest = parseManifest(readFileSync(join(MODEL, 'manifest.json'), 'utf8'), MODEL);
    const listed = Object.values(manifest.files).flatMap((f) => (f ? [f.path] : []));
    const files = ['manifest.json', ...listed];
    for (const f of files) cpSync(join(MODEL, f), join(root, MODEL, f));
    mkdirSync(join(root, 'lib'));
    for (const lib of cxxRuntime()) copyFileSync(lib, join(root, 'lib', basename(lib)));
    writeFileSync(join(root, 'run.sh'), RUN_SH);
    chmodSync(join(root, 'run.sh'), 0o755);
    mkdirSync(dirname(out), { recursive: true });
    execFileSync('tar', ['-cf', out, '--use-compress-program=xz -9 -T0', '-C', work, NAME]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const bytes = statSync(out).size;
  const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
  console.log(`wrote ${out}: ${(bytes / 2 ** 20).toFixed(1)} MiB (limit 64 MiB), sha256 ${sha}`);
  if (bytes > LIMIT) throw new Error(`${out} is over 64 MiB`);
}

/** Unpacks and runs the bundle with an empty PATH, on a short budget. */
function verify(out: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'qac-unpack-'));
  try {
    execFileSync('tar', ['-xJf', resolve(out), '-C', dir]);
    const args = ['--budget', '240', '--batches', '1,4', '--calls', '3'];
    args.push('--train-steps', '1', '--train-batch', '2');
    const env: Record<string, string> = { PATH: '' };
    for (const k of ['VK_ICD_FILENAMES', 'XDG_RUNTIME_DIR', 'HOME'] as const) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    console.log(`verifying in ${dir} with PATH='' and ${JSON.stringify(env)}:`);
    execFileSync('/bin/sh', [join(dir, NAME, 'run.sh'), ...args], { env, stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await pack(opts.out);
if (opts.verify) verify(opts.out);
