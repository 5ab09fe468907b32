import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SwiftShaderFirst from './scripts/vitest-sequencer';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Hooks load datasets and open sessions, as slow as a test on a busy box.
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest keeps one core free by default, which makes the suite serial on a 2-core box; the
    // slow tests wait on onnxruntime sessions, child processes and SwiftShader, so two forks
    // overlap well there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default', './scripts/vitest-slowest.ts'],
    sequence: { sequencer: SwiftShaderFirst },
  },
});
