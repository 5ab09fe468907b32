// The execution providers the Node commands run on: the one place that turns an `--ep` choice
// into onnxruntime-node session options, and that checks, before any work, that it can run here.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type { InferenceSession } from 'onnxruntime-node';
import { exportModel, Graph, op } from '../../graph';

export const NODE_EPS = ['cpu', 'webgpu'] as const;
export type NodeEp = (typeof NODE_EPS)[number];

/** The variable that points the Vulkan loader at a driver (the webgpu EP runs on Vulkan here). */
export const VULKAN_DRIVER_VAR = 'VK_ICD_FILENAMES';

/** SwiftShader, the CPU Vulkan driver in Debian's chromium package: any machine's fallback. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Session options for `ep`. webgpu is onnxruntime-node's bundled native WebGPU EP (Dawn over
 * Vulkan on Linux); nodes it has no kernel for run on the CPU EP, which ORT appends itself.
 */
export function epSessionOptions(ep: NodeEp): InferenceSession.SessionOptions {
  return { executionProviders: [ep] };
}

/** A command's `--ep` cannot run on this machine; the message is one line and names the fix. */
class EpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EpUnavailableError';
  }
}

// The probe runs in a child process: Dawn and the Vulkan loader write their own diagnostics
// straight to stderr, several lines per failure, which the command's one-line refusal replaces.
const PROBE = `
const [entry, model] = process.argv.slice(1);
const ort = require(entry);
ort.InferenceSession.create(Buffer.from(model, 'base64'), { executionProviders: ['webgpu'] })
  .then((s) => s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2), [2]) }))
  .then(
    (out) => process.exit(out.y.data[1] === 4 ? 0 : 4),
    (e) => { process.stdout.write(String((e && e.message) || e)); process.exit(3); },
  );
`;

/** y = x + x: the smallest graph that needs a WebGPU device to run. */
function probeModel(): string {
  const g = new Graph();
  const x = g.input('x', [2]);
  return Buffer.from(exportModel(g, { y: op.add(x, x) }, 'ep-probe').model).toString('base64');
}

/** Why the probe failed, in a few words: the loader missing, or no driver Dawn can use. */
function probeReason(stdout: string, stderr: string, timedOut: boolean): string {
  if (timedOut) return 'the adapter probe did not finish in 60 s';
  if (/libvulkan\.so\.1: cannot open/.test(stderr)) return 'no Vulkan loader (libvulkan.so.1)';
  const adapter = /Failed to get a WebGPU adapter: ([^\n]*)/.exec(stdout);
  if (adapter) return `no WebGPU adapter over Vulkan: ${adapter[1]!.trim()}`;
  const first = (stdout || stderr).trim().split('\n')[0] ?? '';
  return first ? `the adapter probe failed: ${first.slice(0, 160)}` : 'the adapter probe failed';
}

const checked = new Map<NodeEp, Promise<void>>();

/**
 * Resolves when `ep` can run sessions here, else rejects with an EpUnavailableError. The cpu EP
 * always can; webgpu needs a Vulkan driver that gives Dawn an adapter, which a throwaway session
 * in a child process finds out (once per process).
 */
export function checkNodeEp(ep: NodeEp): Promise<void> {
  if (ep === 'cpu') return Promise.resolve();
  let done = checked.get(ep);
  if (!done) {
    done = probeWebGpu();
    checked.set(ep, done);
  }
  return done;
}

function probeWebGpu(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', PROBE, entry, probeModel()],
      { timeout: 60_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        const reason = probeReason(stdout, stderr, error.killed === true);
        reject(
          new EpUnavailableError(
            `--ep webgpu: ${reason}; install your GPU's Vulkan driver, or set ${VULKAN_DRIVER_VAR} ` +
              `to a driver's ICD file (e.g. ${VULKAN_DRIVER_VAR}=${SWIFTSHADER_ICD}, SwiftShader, ` +
              `a CPU driver from Debian's chromium package)`,
          ),
        );
      },
    );
  });
}
