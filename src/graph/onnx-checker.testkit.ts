// Runs the standard onnx.checker (Debian's python3-onnx) on serialised models, for tests only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PY = '/usr/bin/python3';
const SCRIPT =
  'import onnx, sys\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok")';

/** Why the checker cannot run here, or null when it can. */
export function onnxCheckerMissing(): string | null {
  try {
    execFileSync(PY, ['-c', 'import onnx'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PY} cannot import onnx (apt-get install python3-onnx)`;
  }
}

/** Full onnx.checker pass over each model; throws with the checker's message when one fails. */
export function checkOnnx(models: Readonly<Record<string, Uint8Array>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-check-'));
  try {
    const files = Object.entries(models).map(([name, bytes]) => {
      const file = join(dir, `${name}.onnx`);
      writeFileSync(file, bytes);
      return file;
    });
    return execFileSync(PY, ['-c', SCRIPT, ...files], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
