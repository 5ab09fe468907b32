import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cliArgs, ROOT, type CliName } from '../../src/train/cli/bundles.testkit';

export { cliArgs, ROOT };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI (its bundle: `cliArgs`), with `env` added to ours, and resolves however it ends. A
 * CLI still running after 50 s (a hang: a FIFO opened, a device read) is SIGKILLed, so the test
 * fails on its exit instead of timing out with a stray process.
 */
export function runCli(
  cli: CliName,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, cliArgs(cli, args), {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('exit', () => clearTimeout(timer));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** A refusal: exit 1 or 2 (never a signal or V8's 134), the message on stderr, no native stack. */
export function refused(res: CliResult): string {
  if (res.signal !== null || (res.code !== 1 && res.code !== 2)) {
    throw new Error(`expected exit 1 or 2, got ${res.code ?? res.signal}:\n${res.stderr}`);
  }
  if (/FATAL ERROR|Native stack|^\s+at /m.test(res.stderr)) {
    throw new Error(`a crash, not a message:\n${res.stderr}`);
  }
  return res.stderr;
}

/**
 * sha256 of every file under `root` by relative path: equal before and after = nothing changed.
 * Symlinks give their target and FIFOs, devices and sockets their kind, without being opened.
 */
export async function treeHashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const key = relative(root, path);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) out[key] = `link to ${await readlink(path)}`;
      else if (!entry.isFile()) out[key] = 'special file';
      else
        out[key] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(root);
  return out;
}

export const tempDir = (name: string) => mkdtemp(join(tmpdir(), `qac-bad-${name}-`));

/**
 * A folder that refuses new files. Permission bits stop only non-root users; root (CI containers)
 * gets /proc, whose root takes no new entries whatever the permissions.
 */
export async function readOnlyDir(scratch: string): Promise<string> {
  if (process.getuid?.() === 0) return '/proc';
  const dir = await mkdtemp(join(scratch, 'read-only-'));
  await chmod(dir, 0o555);
  readOnly.add(dir);
  return dir;
}
const readOnly = new Set<string>();

/** Removes a scratch folder, read-only folders made inside it included. */
export async function removeTree(dir: string): Promise<void> {
  for (const ro of readOnly) await chmod(ro, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
