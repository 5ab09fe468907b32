// `--ep webgpu` on a machine whose Vulkan driver gives no adapter: every Node command says so in
// one line naming the variable to set, and exits 1 before any work.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VULKAN_DRIVER_VAR } from '../../runtime/node/ep';
import { cliArgs, type CliName } from './bundles.testkit';

/** Runs a CLI with a Vulkan driver list that names no driver; its exit code and output. */
function runWithoutGpu(cli: CliName, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env = { ...process.env, [VULKAN_DRIVER_VAR]: '/nonexistent/icd.json' };
    execFile(process.execPath, cliArgs(cli, args), { env }, (e, stdout, stderr) =>
      resolve({ code: e ? (e.code as number) : 0, stdout, stderr }),
    );
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qac-ep-cli-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const model = 'models/fashion-mnist-qac';
const CASES: [CliName, (out: string) => string[]][] = [
  ['sample', (out) => ['--model', model, '--out', join(out, 'grid.png')]],
  ['eval', (out) => ['--model', model, '--n', '2', '--out', join(out, 'eval')]],
  ['train', (out) => ['--dataset', 'mnist', '--steps', '1', '--out', join(out, 'run')]],
  ['report', (out) => ['--models', out, '--render-only']],
];

describe('--ep webgpu without a usable Vulkan driver', () => {
  it.each(CASES)(
    '%s refuses in one line naming the variable, before any work',
    async (cli, args) => {
      const out = await mkdtemp(join(root, 'out-'));
      const r = await runWithoutGpu(cli, [...args(out), '--ep', 'webgpu']);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/--ep webgpu: no WebGPU adapter/);
      expect(lines[0]).toContain(`${VULKAN_DRIVER_VAR}=`);
      expect(r.stdout).toBe('');
      expect(await readdir(out)).toEqual([]);
    },
    60_000,
  );
});
