import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SwiftShaderFirst from './scripts/vitest-sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Hooks load datasets and open sessions, as slow as a test on a busy box.
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share a fork's module cache: re-importing ORT, zod and our layers for each of ~90
    // files cost ~20 s of a CPU-bound run; no test mocks modules or leaves globals changed.
    isolate: false,
    // Vitest keeps one core free by default, which makes the suite serial on a 2-core box; the
    // slow tests wait on onnxruntime sessions, child processes and SwiftShader, so two forks
    // overlap well there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Two forks on two cores: a session's second ORT thread would only spin against the other
    // fork (src/runtime/node/index.ts). Child processes (the CLIs) inherit it.
    env: { QAC_ORT_THREADS: '1' },
    globalSetup: ['./src/train/cli/bundles.testkit.ts'],
    reporters: ['default', './scripts/vitest-slowest.ts'],
    sequence: { sequencer: SwiftShaderFirst },
  },
});
