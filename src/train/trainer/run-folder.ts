import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { readCheckpoint, writeCheckpoint } from '../io/checkpoint';
import type { TrainConfig } from './config';
import { decodeRunState, encodeRunState, type RunState } from './checkpoint-state';
import { exists } from '../../runtime/node/files';

/** Where runs live unless --out says otherwise: outside the work tree. */
export const DEFAULT_RUNS_DIR = join(homedir(), '.cache', 'qac-playground', 'runs');

const CONFIG_FILE = 'config.json';
export const CHECKPOINT_FILE = 'checkpoint.ckpt';
const SNAPSHOT_DIR = 'snapshots';

const snapshotName = (step: number) => `step-${String(step).padStart(6, '0')}.ckpt`;

/** A bare name goes under DEFAULT_RUNS_DIR; anything with a slash is a path. */
export function resolveRunDir(out: string): string {
  return out.includes('/') || out.startsWith('.') ? resolve(out) : join(DEFAULT_RUNS_DIR, out);
}

export async function writeConfig(dir: string, config: TrainConfig): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(
    join(dir, CONFIG_FILE),
    Buffer.from(JSON.stringify(config, null, 2) + '\n'),
  );
}

export const hasCheckpoint = (dir: string) => exists(join(dir, CHECKPOINT_FILE));

export async function saveCheckpoint(
  dir: string,
  config: TrainConfig,
  state: RunState,
  shapes: ReadonlyMap<string, readonly number[]>,
  snapshot: boolean,
): Promise<void> {
  const ckpt = encodeRunState(config, state, shapes);
  await writeCheckpoint(join(dir, CHECKPOINT_FILE), ckpt);
  if (snapshot) {
    await mkdir(join(dir, SNAPSHOT_DIR), { recursive: true });
    await writeCheckpoint(join(dir, SNAPSHOT_DIR, snapshotName(state.step)), ckpt);
  }
}

/** Loads a run's latest checkpoint, or a checkpoint file given directly. */
export async function loadCheckpoint(
  path: string,
): Promise<{ config: TrainConfig; state: RunState }> {
  const file = path.endsWith('.ckpt') ? path : join(path, CHECKPOINT_FILE);
  const { meta, tensors } = await readCheckpoint(file);
  return decodeRunState(file, meta, tensors);
}
